"""Repository contracts: the Dockerfile only names things that exist and only runs scripts CI also
runs; .ci/run runs the README's test command; the layout the architecture names is present."""
import os
import re
import unittest

from gateway import SOURCE_DIR


def read(rel):
    with open(os.path.join(SOURCE_DIR, rel)) as f:
        return f.read()


class RepoTest(unittest.TestCase):
    def test_dockerfile_paths_and_scripts_exist(self):
        text = read("docker/Dockerfile")
        copies = re.findall(r"^COPY (?!--from)(\S+) \S+$", text, re.M)
        self.assertTrue(copies)
        for src in copies:
            if src == ".":
                continue
            self.assertTrue(os.path.exists(os.path.join(SOURCE_DIR, src)), f"Dockerfile COPY {src}")
        runs = " ".join(re.findall(r"^RUN (.+)$", text, re.M))
        for script in ("scripts/install-deps.sh", "scripts/build.sh"):
            self.assertIn(script, runs)
        for script in re.findall(r"(scripts/[\w./-]+\.sh)", runs):
            self.assertTrue(os.access(os.path.join(SOURCE_DIR, script), os.X_OK), script)
        self.assertIn("HEALTHCHECK", text)
        self.assertIn("/healthz", text)
        self.assertRegex(text, r"(?m)^USER smimegw$")
        self.assertIn("EXPOSE 2525 2587 8443 8444", text)

    def test_dockerfile_build_flags_are_accepted_by_the_scripts(self):
        text = read("docker/Dockerfile")
        install = read("scripts/install-deps.sh")
        for flag in re.findall(r"install-deps\.sh (--[\w-]+)", text):
            self.assertIn(f"{flag})", install, f"install-deps.sh does not handle {flag}")
        self.assertRegex(text, r"scripts/build\.sh release ")

    def test_compose_references_exist_and_map_mail_ports(self):
        text = read("docker/compose.yaml")
        self.assertIn("dockerfile: docker/Dockerfile", text)
        self.assertIn('"25:2525"', text)
        self.assertIn('"587:2587"', text)
        self.assertIn("postgres:15", text)
        self.assertIn("SMIMEGW_DATABASE_URL", text)
        self.assertIn("SMIMEGW_KEYS_KEK_FILE", text)
        self.assertTrue(os.access(os.path.join(SOURCE_DIR, "docker/entrypoint.sh"), os.X_OK))

    def test_ci_runs_the_readme_test_command(self):
        readme = read("README.md")
        ci = read(".ci/run")
        m = re.search(r"```sh\n(scripts/test\.sh)\n", readme)
        self.assertIsNotNone(m, "README must show the test command in a sh block")
        self.assertIn(m.group(1), ci)

    def test_layout_matches_architecture(self):
        for module in ("core", "config", "obs", "db", "net", "mime", "cms", "trust", "directory",
                       "smime", "policy", "transport", "smtp", "mailbox", "http", "app"):
            self.assertIn(f"smimegw_module({module} ", read("CMakeLists.txt"))
        for path in ("config/smimegw.yaml", "migrations", "docker/Dockerfile", "scripts/run.sh",
                     "scripts/test.sh", "scripts/install-deps.sh", ".clang-format",
                     "docs/configuration.md", "docs/architecture.md"):
            self.assertTrue(os.path.exists(os.path.join(SOURCE_DIR, path)), path)

    def test_migrations_are_numbered_without_gaps(self):
        names = sorted(f for f in os.listdir(os.path.join(SOURCE_DIR, "migrations")) if f.endswith(".sql"))
        self.assertTrue(names)
        for i, name in enumerate(names, start=1):
            self.assertRegex(name, rf"^{i:04d}_[a-z0-9_]+\.sql$")


if __name__ == "__main__":
    unittest.main()
