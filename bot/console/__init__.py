"""The console channel: talk to the chat core in a terminal, or replay a transcript."""
