"""The typed readers of the environment: defaults, parsing, and errors that name the variable."""

from __future__ import annotations

import pytest

from rapport.lib.env import ConfigurationError, env_bool, env_int, env_list, env_str


def test_str_falls_back_to_the_default_only_when_unset():
    assert env_str("NAME", "fallback", {}) == "fallback"
    assert env_str("NAME", "fallback", {"NAME": ""}) == ""
    assert env_str("NAME", "fallback", {"NAME": "value"}) == "value"


@pytest.mark.parametrize("text", ["1", "true", "TRUE", "Yes", "on", " on "])
def test_bool_reads_the_usual_words_for_true(text):
    assert env_bool("FLAG", False, {"FLAG": text}) is True


@pytest.mark.parametrize("text", ["0", "false", "False", "no", "off", ""])
def test_bool_reads_the_usual_words_for_false(text):
    assert env_bool("FLAG", True, {"FLAG": text}) is False


def test_bool_uses_the_default_when_unset():
    assert env_bool("FLAG", True, {}) is True


def test_bool_refuses_anything_else_and_names_the_variable():
    with pytest.raises(ConfigurationError, match="FLAG must be true or false, not 'maybe'"):
        env_bool("FLAG", False, {"FLAG": "maybe"})


def test_int_parses_whole_numbers_and_treats_blank_as_unset():
    assert env_int("COUNT", 5, {"COUNT": "12"}) == 12
    assert env_int("COUNT", 5, {"COUNT": "  "}) == 5
    assert env_int("COUNT", 5, {}) == 5


def test_int_refuses_text_and_names_the_variable():
    with pytest.raises(ConfigurationError, match=r"COUNT must be a whole number, not '1\.5'"):
        env_int("COUNT", 5, {"COUNT": "1.5"})


def test_int_enforces_the_minimum():
    assert env_int("COUNT", 5, {"COUNT": "1"}, minimum=1) == 1
    with pytest.raises(ConfigurationError, match="COUNT must be at least 1, not 0"):
        env_int("COUNT", 5, {"COUNT": "0"}, minimum=1)


def test_list_splits_on_commas_and_drops_blanks():
    value = env_list("HOSTS", [], {"HOSTS": " a.example.com, ,b.example.com ,"})

    assert value == ["a.example.com", "b.example.com"]


def test_list_default_is_a_copy_so_callers_cannot_change_it():
    default = ["localhost"]

    value = env_list("HOSTS", default, {})
    value.append("changed")

    assert default == ["localhost"]


def test_helpers_read_the_process_environment_by_default(monkeypatch):
    monkeypatch.setenv("RAPPORT_TEST_FLAG", "yes")

    assert env_bool("RAPPORT_TEST_FLAG", False) is True
