"""Checklist item 1: the 等保 password rule (8+ characters, 3 of 4 classes, not like the user, not common)."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from anding.models import User
from anding.passwords import character_classes

from .factories import PASSWORD

REJECTED = [
    "abc12345",  # two classes
    "password1",  # common, two classes
    "Ab1!",  # too short
    "ABCDEFGH12",  # two classes
    "12345678",  # numeric
    "Password1",  # common (the blocklist ignores case)
]
ACCEPTED = ["Correct-horse-battery", "lantern7Orchard", "安定镇 party 2026", "tq9#ovl2mzpx"]


@pytest.mark.parametrize("password", REJECTED)
def test_01_password_policy_refuses_weak_passwords(db, password):
    with pytest.raises(ValidationError):
        validate_password(password, User(username="wang", full_name="王五"))


@pytest.mark.parametrize("password", ACCEPTED)
def test_01_password_policy_accepts_strong_passwords(db, password):
    validate_password(password, User(username="wang", full_name="王五"))


@pytest.mark.parametrize("username", ["zhangwei2026", "Zhangwei2026!"])
def test_01_password_policy_refuses_the_user_name(db, username):
    with pytest.raises(ValidationError):
        validate_password("Zhangwei2026!", User(username=username.lower().rstrip("!")))


def test_01_password_policy_refuses_the_full_name(db):
    with pytest.raises(ValidationError):
        validate_password("Li.Xiaoming1", User(username="v11", full_name="Li Xiaoming"))


def test_01_the_demo_and_test_passwords_pass(db):
    for username in ["admin", "v11", "root"]:
        validate_password(settings.DEMO_PASSWORD, User(username=username))
        validate_password(PASSWORD, User(username=username))


def test_01_the_rule_is_explained_in_both_languages(db):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            validate_password("abcdefgh1", User(username="wang"))
        assert "at least 3 of these" in " ".join(refused.value.messages)
        assert any("at least 3 of these" in text for text in password_validators_help_texts())


def test_character_classes():
    assert character_classes("aA1!") == {"lower", "upper", "digit", "symbol"}
    assert character_classes("安定 ab") == {"symbol", "lower"}
