"""The one time zone of the bot: instants are stored in UTC and shown in Vietnam's time."""

from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
