"""Sent/Date values as printed in the dev corpus -> naive datetimes; None where no single reading exists."""
import datetime as dt

import pytest

from transforms.emails.dates import month_number, parse_sent

T = dt.datetime

CASES = [
    pytest.param("Wednesday, September 12, 2012 10:16 AM", T(2012, 9, 12, 10, 16), id="C05739545-outlook"),
    pytest.param("Friday, January 13, 2012 11:50 PM", T(2012, 1, 13, 23, 50), id="seed001-pm"),
    pytest.param("Sat May 02 17:45:57 2009", T(2009, 5, 2, 17, 45, 57), id="C05758447-blackberry"),
    pytest.param("Mon, 28 Feb 2011 08:37:23 +0000", T(2011, 2, 28, 8, 37, 23), id="C05780068-rfc2822-zone-ignored"),
    pytest.param("Mon, May 4, 2009 at 8:44 AM", T(2009, 5, 4, 8, 44), id="C05761164-gmail"),
    pytest.param("Sep 15, 2009, at 2:39 PM", T(2009, 9, 15, 14, 39), id="C05764048-apple"),
    pytest.param("Sep 1, 2009 1:27 PM", T(2009, 9, 1, 13, 27), id="C05764263-no-weekday"),
    pytest.param("Monday, May 2, 201111:08 AM", T(2011, 5, 2, 11, 8), id="C05739696-year-glued-to-hour"),
    pytest.param("Wed Oct 2806:37:17 2009", T(2009, 10, 28, 6, 37, 17), id="C05767435-day-glued-to-hour"),
    pytest.param("Sunday, Se tember 5, 2010 4:41 PM", T(2010, 9, 5, 16, 41), id="C05771904-letter-lost"),
    pytest.param("Wednesda March 2 2011 7:19 AM", T(2011, 3, 2, 7, 19), id="C05785249-weekday-cut"),
    pytest.param("Tuesday, June 2,2009 11:21 AM", T(2009, 6, 2, 11, 21), id="C05758676-no-space-after-comma"),
    pytest.param("Saturday, September 15, 2012 1:20 PM •", T(2012, 9, 15, 13, 20), id="C05794579-stray-bullet"),
    pytest.param("Saturday, November 24, 2012 08:45 PM Eastern Standard Time", T(2012, 11, 24, 20, 45),
                 id="C05796940-zone-name-ignored"),
    pytest.param("Saturday, April 23, 2011 02: 4 PM", None, id="C05781950-minute-digit-lost"),
    pytest.param("MoiiSeoOL1601142009", None, id="C05759566-garbled"),
    pytest.param("June 17, 2010", None, id="C05776479-date-without-time"),
    pytest.param("Tuesday, March 30, 2011 10:41 PM", None, id="weekday-contradicts-date"),
    pytest.param("", None, id="empty"),
]


@pytest.mark.parametrize("value,expected", CASES)
def test_parse_sent(value, expected):
    assert parse_sent(value) == expected


@pytest.mark.parametrize("token,month", [("September", 9), ("Sep", 9), ("Sept", 9), ("Se tember", 9),
                                         ("Janua", 1), ("OCTOBER", 10), ("Ma", None), ("Mar", 3), ("Ju", None)])
def test_month_number(token, month):
    assert month_number(token) == month
