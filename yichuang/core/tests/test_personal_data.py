import pytest

from yichuang.core import crypto
from yichuang.core.masking import mask_id_number, mask_name, mask_phone


def test_masks_follow_the_national_patterns():
    assert mask_id_number("110101199003071234") == "1101**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("张小三") == "张*三"
    assert mask_name("李四") == "李*"
    assert mask_id_number("") == "" and mask_phone(None) == ""


def test_encryption_round_trip_and_ciphertext_hides_the_value():
    token = crypto.encrypt("110101199003071234")
    assert "1101011990" not in token
    assert crypto.decrypt(token) == "110101199003071234"


def test_keyed_hash_finds_equal_values_only():
    assert crypto.keyed_hash("11010119900307123x") == crypto.keyed_hash(" 11010119900307123X ")
    assert crypto.keyed_hash("110101199003071234") != crypto.keyed_hash("110101199003071235")


def test_wrong_key_does_not_pass_silently(settings):
    token = crypto.encrypt("secret")
    settings.FIELD_ENCRYPTION_KEY = "another-key"
    with pytest.raises(ValueError):
        crypto.decrypt(token)
