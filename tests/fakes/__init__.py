"""Fakes of the chat platforms' servers, for tests: real HTTP on 127.0.0.1."""
