"""`smimegw` CLI and configuration errors: every bad input exits non-zero with a line that says what
is wrong and where."""
import os
import unittest

from gateway import BIN, SOURCE_DIR, run, workdir


def write(d, text, name="c.yaml"):
    p = os.path.join(d, name)
    with open(p, "w") as f:
        f.write(text)
    return p


class CliConfigTest(unittest.TestCase):
    def test_version_and_help(self):
        r = run("version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^smimegw \d+\.\d+\.\d+\n$")
        h = run("--help")
        self.assertEqual(h.returncode, 0)
        for cmd in ("serve", "migrate", "check-config", "version"):
            self.assertIn(cmd, h.stdout)

    def test_unknown_command_and_option_are_usage_errors(self):
        r = run("frobnicate")
        self.assertEqual(r.returncode, 2)
        self.assertIn('unknown command "frobnicate"', r.stderr)
        r = run("check-config", "--bogus")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown option --bogus", r.stderr)

    def test_shipped_config_checks_ok_and_prints_effective_values(self):
        r = run("check-config", "-c", os.path.join(SOURCE_DIR, "config/smimegw.yaml"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('smtp.inbound.listen: "0.0.0.0:2525"  # file', r.stdout)
        self.assertIn("trust.revocation: require", r.stdout)
        self.assertIn("configuration OK", r.stderr)

    def test_missing_config_file(self):
        r = run("check-config", "-c", "/nonexistent/smimegw.yaml")
        self.assertEqual(r.returncode, 2)
        self.assertIn("/nonexistent/smimegw.yaml: cannot read configuration: No such file or directory",
                      r.stderr)

    def test_unreadable_config_file(self):
        if os.geteuid() == 0:
            # root reads any file; a directory is unreadable as a config for everyone
            with workdir() as d:
                r = run("check-config", "-c", d)
                self.assertEqual(r.returncode, 2)
                self.assertIn(d + ": ", r.stderr)
            return
        with workdir() as d:
            p = write(d, "log: {level: info}\n")
            os.chmod(p, 0)
            r = run("check-config", "-c", p)
            self.assertEqual(r.returncode, 2)
            self.assertIn("Permission denied", r.stderr)

    def test_yaml_syntax_error_names_line(self):
        with workdir() as d:
            p = write(d, "log:\n  level: info\nsmtp: [unclosed\n")
            r = run("check-config", "-c", p)
            self.assertEqual(r.returncode, 2)
            self.assertRegex(r.stderr, rf"{p}:\d+:\d+: YAML syntax error")

    def test_unknown_key_wrong_type_and_port_reported_together(self):
        with workdir() as d:
            p = write(d, 'smtp:\n  inbound:\n    listen: "0.0.0.0:99999"\n    colour: red\n'
                         'database:\n  pool_size: many\n')
            r = run("check-config", "-c", p)
            self.assertEqual(r.returncode, 2)
            self.assertIn(f"{p}:3:13: smtp.inbound.listen: port 99999 out of range 1..65535", r.stderr)
            self.assertIn(f"{p}:4:5: smtp.inbound.colour: unknown key", r.stderr)
            self.assertIn(f'{p}:6:14: database.pool_size: expected an integer, got "many"', r.stderr)
            self.assertIn("3 configuration errors", r.stderr)

    def test_two_listeners_on_one_port(self):
        with workdir() as d:
            p = write(d, 'admin:\n  listen: "127.0.0.1:7000"\nsync:\n  listen: "0.0.0.0:7000"\n')
            r = run("check-config", "-c", p)
            self.assertEqual(r.returncode, 2)
            self.assertIn("sync.listen: port 7000 is already used by admin.listen", r.stderr)

    def test_secrets_are_redacted_in_dump(self):
        with workdir() as d:
            p = write(d, 'database:\n  url: "postgresql://gw:s3cr3t-pw@db.example/smimegw"\n')
            r = run("check-config", "-c", p)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn("s3cr3t-pw", r.stdout + r.stderr)
            self.assertIn("database.url: <redacted>", r.stdout)
            r = run("check-config", "-c", p, env={"SMIMEGW_DATABASE_URL": "host=x password=envsecret"})
            self.assertNotIn("envsecret", r.stdout + r.stderr)
            self.assertIn("database.url: <redacted>  # env SMIMEGW_DATABASE_URL", r.stdout)

    def test_environment_override_with_bad_value(self):
        with workdir() as d:
            p = write(d, "")
            r = run("check-config", "-c", p, env={"SMIMEGW_LOG_LEVEL": "chatty"})
            self.assertEqual(r.returncode, 2)
            self.assertIn('environment SMIMEGW_LOG_LEVEL: log.level: "chatty" is not one of', r.stderr)

    def test_config_doc_matches_committed_reference(self):
        r = run("config-doc")
        self.assertEqual(r.returncode, 0)
        with open(os.path.join(SOURCE_DIR, "docs/configuration.md")) as f:
            self.assertEqual(r.stdout, f.read(),
                             "docs/configuration.md is stale: smimegw config-doc > docs/configuration.md")

    def test_serve_with_invalid_config_exits_2_before_touching_anything(self):
        with workdir() as d:
            p = write(d, "bogus: 1\n")
            r = run("serve", "-c", p, timeout=10)
            self.assertEqual(r.returncode, 2)
            self.assertIn(f"{p}:1:1: bogus: unknown key", r.stderr)


if __name__ == "__main__":
    unittest.main()
