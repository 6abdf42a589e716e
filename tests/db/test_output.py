"""What a client tool printed, as a message may quote it: its own lines, values masked."""

from __future__ import annotations

import io
import subprocess

from release.db.output import Tail, ended, reason

ECHOED = ("--------------\nINSERT INTO `auth_user` VALUES (7,'ann@real-mail.com','Ann',"
          "'Lee')\n--------------\n\nERROR 1062 (23000) at line 40: Duplicate entry "
          "'ann@real-mail.com' for key 'email'\n")


def test_the_client_echo_of_a_statement_is_never_quoted_and_values_are_masked() -> None:
    said = reason(ECHOED)
    assert said == "ERROR 1062 (23000) at line 40: Duplicate entry '…' for key 'email'"
    assert "ann@" not in said and "Lee" not in said


def test_a_syntax_error_keeps_its_line_but_not_the_text_near_it() -> None:
    said = reason("ERROR 1064 (42000) at line 9: You have an error in your SQL syntax; check "
                  "the manual ... near ''(206) 555-0143', 'Lee')' at line 1\n")
    assert said.endswith("near '…' at line 1") and "206" not in said


def test_names_of_things_stay_and_a_silent_tool_says_it_printed_nothing() -> None:
    assert reason("ERROR 1146 (42S02) at line 1: Table 'qa.auth_user' doesn't exist") == \
        "ERROR 1146 (42S02) at line 1: Table 'qa.auth_user' doesn't exist"
    assert reason("") == "it printed no reason"
    assert reason("(7,'ann@real-mail.com')\n") == \
        "it printed 1 line(s), not shown: they may hold rows"


def test_how_a_process_ended() -> None:
    assert ended(1) == "exit 1"
    assert ended(-2) == "killed by SIGINT"
    assert ended(-9) == "killed by SIGKILL"


def test_the_tail_keeps_the_last_of_a_long_output_in_memory() -> None:
    proc = subprocess.Popen(["sh", "-c", "yes row | head -n 100000; echo 'ERROR 1 (x): last'"],
                            stdout=subprocess.PIPE)
    assert proc.stdout is not None
    tail = Tail.reading(proc.stdout)
    proc.wait()
    tail.finish()
    assert tail.text().endswith("ERROR 1 (x): last\n") and len(tail.text()) <= 1 << 16
    assert reason(tail.text()) == "ERROR 1 (x): last"
    assert Tail.reading(io.BytesIO(b"")).text() == ""
