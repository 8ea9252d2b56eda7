import pytest

from detente.errors import SettingsError
from detente.settings import TABLE, Settings


def test_defaults_match_table():
    s = Settings()
    for setting in TABLE:
        assert getattr(s, setting.name) == setting.default


def test_unknown_key_is_an_error_that_lists_known_ones():
    with pytest.raises(SettingsError, match="unknown setting 'colour'.*known settings are"):
        Settings.load(colour="red")


def test_environment_and_file_and_arguments_layer(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('batch_size = 4\ndb = "from-file.db"\n')
    s = Settings.load(f, env={"DETENTE_BATCH_SIZE": "8"}, db="arg.db")
    assert s.batch_size == 8 and s.db == "arg.db"


def test_wrong_type_says_which_setting():
    with pytest.raises(SettingsError, match="'workers' needs a int"):
        Settings.load(env={"DETENTE_WORKERS": "many"})


def test_bad_settings_file(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text("batch_size = [")
    with pytest.raises(SettingsError, match="not valid TOML"):
        Settings.load(f)
