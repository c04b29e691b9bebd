import pytest

from generator.dates import DateError, PartialDate, parse_partial_date


@pytest.mark.parametrize(("text", "iso", "shown", "precision"), [
    ("2001", "2001", "2001", "year"),
    ("2001-11", "2001-11", "November 2001", "month"),
    ("2001-11-13", "2001-11-13", "13 November 2001", "day"),
    ("2020-02-29", "2020-02-29", "29 February 2020", "day"),
])
def test_precision_is_kept_and_shown_honestly(text, iso, shown, precision):
    date = parse_partial_date(text)
    assert (date.iso(), date.display(), date.precision) == (iso, shown, precision)


@pytest.mark.parametrize(("text", "message"), [
    ("2021-02-30", "'2021-02-30' does not exist: February 2021 has 28 days"),
    ("2021-02-29", "'2021-02-29' does not exist: February 2021 has 28 days"),
    ("2021-13", "'2021-13' has month 13; expected a month from 01 to 12"),
    ("2021-00-10", "'2021-00-10' has month 0; expected a month from 01 to 12"),
    ("5 July 2021", "'5 July 2021' is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD"),
    ("2021-7-5", "'2021-7-5' is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD"),
    ("0000", "year 0 does not exist; expected a year from 0001"),
])
def test_impossible_dates_are_refused_with_a_reason(text, message):
    with pytest.raises(DateError) as caught:
        parse_partial_date(text)
    assert str(caught.value) == message


def test_sorting_puts_a_year_before_its_months_and_a_month_before_its_days():
    dates = [parse_partial_date(t) for t in ("2001-11-13", "2001", "2001-11", "2000-12-31")]
    ordered = sorted(dates, key=lambda d: d.sort_key)
    assert [d.iso() for d in ordered] == ["2000-12-31", "2001", "2001-11", "2001-11-13"]


def test_dates_are_values():
    assert PartialDate(2001, 11) == parse_partial_date("2001-11")
    assert hash(PartialDate(2001)) == hash(parse_partial_date("2001"))
