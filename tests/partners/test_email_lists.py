"""Parsing pasted and uploaded email lists (no database)."""

from lms.partners.email_lists import MAX_EMAILS_PER_BATCH, parse_email_csv, parse_email_text


def test_pasted_emails_split_on_newlines_commas_semicolons_and_spaces():
    parsed = parse_email_text("a@x.com, b@x.com\nc@x.com; d@x.com e@x.com")
    assert parsed.valid == ["a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com"]
    assert parsed.invalid == []


def test_duplicates_are_folded_case_insensitively_keeping_first_order():
    parsed = parse_email_text("B@x.com\na@x.com\nb@X.COM")
    assert parsed.valid == ["b@x.com", "a@x.com"]


def test_invalid_entries_are_reported_with_their_line_numbers():
    parsed = parse_email_text("ok@x.com\nnot-an-email\n\nalso@bad@x")
    assert parsed.valid == ["ok@x.com"]
    assert parsed.invalid == [(2, "not-an-email"), (4, "also@bad@x")]


def test_angle_brackets_and_quotes_around_addresses_are_removed():
    assert parse_email_text('"<sara@x.com>"').valid == ["sara@x.com"]


def test_csv_header_row_is_skipped_and_email_column_found():
    text = "name,email\nSara,sara@x.com\nReza,reza@x.com\n"
    assert parse_email_csv(text).valid == ["sara@x.com", "reza@x.com"]


def test_csv_row_without_any_address_is_reported_invalid():
    parsed = parse_email_csv("email\nsara@x.com\nnobody here\n")
    assert parsed.valid == ["sara@x.com"]
    assert parsed.invalid == [(3, "nobody here")]


def test_batches_over_the_limit_are_flagged():
    text = "\n".join(f"p{n}@x.com" for n in range(MAX_EMAILS_PER_BATCH + 1))
    assert parse_email_text(text).too_many
    assert not parse_email_text("a@x.com").too_many


def test_persian_commas_semicolons_tabs_and_invisible_marks_are_handled():
    parsed = parse_email_text("a@b.example، c@d.example؛ e@f.example\tg@h.example\u200c")
    assert parsed.valid == ["a@b.example", "c@d.example", "e@f.example", "g@h.example"]
    assert parsed.invalid == []


def test_compatibility_letters_fold_and_other_look_alikes_or_overlong_addresses_are_refused():
    overlong = "x" * 250 + "@b.example"
    parsed = parse_email_text(f"admin@parſian.example\nadmın@parsian.example\n{overlong}")
    assert parsed.valid == ["admin@parsian.example"]  # NFKC folds the long s into s
    assert [line for line, _ in parsed.invalid] == [2, 3]


def test_a_csv_field_beyond_the_csv_modules_limit_is_reported_not_raised():
    parsed = parse_email_csv('"' + "a" * 200_000 + '"\n')
    assert parsed.valid == []
    assert parsed.invalid
