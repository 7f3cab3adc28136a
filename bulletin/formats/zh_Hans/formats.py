# Chinese dates as the bulletin prints them: 2024 年 8 月 1 日.
DATE_FORMAT = "Y 年 n 月 j 日"
DATETIME_FORMAT = "Y 年 n 月 j 日 H:i"
SHORT_DATE_FORMAT = "Y-m-d"
MONTH_DAY_FORMAT = "n 月 j 日"
YEAR_MONTH_FORMAT = "Y 年 n 月"
