import datetime

from django.utils import translation

from core.brussels import brussels_date, brussels_datetime_label


def test_a_late_evening_in_utc_is_the_next_day_in_brussels():
    moment = datetime.datetime(2026, 3, 9, 23, 30, tzinfo=datetime.UTC)  # 00:30 on the 10th in Brussels
    assert brussels_date(moment) == datetime.date(2026, 3, 10)


def test_the_label_reads_brussels_wall_time_across_the_clock_change():
    summer = datetime.datetime(2026, 10, 20, 11, 30, tzinfo=datetime.UTC)
    winter = datetime.datetime(2026, 10, 27, 12, 30, tzinfo=datetime.UTC)
    with translation.override("fr"):
        assert "13:30" in brussels_datetime_label(summer) and "13:30" in brussels_datetime_label(winter)
