from __future__ import annotations

import pytest
from django.core.management import call_command

from yuanqu.cli import main


def test_it_lists_the_platform_commands(capsys: pytest.CaptureFixture[str]) -> None:
    main(["help"])
    out = capsys.readouterr().out
    for command in ("serve", "createadmin", "demo"):
        assert command in out


@pytest.mark.django_db
def test_it_creates_a_system_administrator(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from yuanqu.core.models import User

    monkeypatch.setattr("sys.stdin", io.StringIO("a-Long-enough-passphrase-7\n"))
    # call_command rather than main(): a command run from argv closes every database connection at
    # the end, which would end the test's transaction on PostgreSQL.
    call_command("createadmin", "ops", "--password-stdin")
    user = User.objects.get(username="ops")
    assert user.role == "sysadmin" and user.is_superuser and user.check_password("a-Long-enough-passphrase-7")


@pytest.mark.django_db
def test_it_refuses_a_weak_administrator_password(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from django.core.management.base import CommandError

    from yuanqu.core.models import User

    monkeypatch.setattr("sys.stdin", io.StringIO("123\n"))
    with pytest.raises(CommandError, match="密码只包含数字"):
        call_command("createadmin", "weak", "--password-stdin")
    assert not User.objects.filter(username="weak").exists()
