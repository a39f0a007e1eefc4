"""Workdays and deadlines: the one engine every due date comes from.

- rules.py: the pure rule (`due_date`, `remaining_days`), no Django;
- calendar.py: the platform calendar (`ChineseCalendar`) and `compute_due_date`, `days_left`;
- statutory.py: the rest days of a year whose 放假安排 is not entered (放假办法 第二条, 第六条);
- services.py: writes to the holiday override table; views/forms/urls: the 节假日维护 page.
"""
