#include "smimegw/config/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "convert.hpp"
#include "smimegw/config/settings.hpp"

extern char** environ;

namespace smimegw::config {
namespace {

std::string where(const std::string& label, const YAML::Mark& m) {
  if (m.line < 0) return label;
  return label + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

bool is_section(const std::string& path) {
  for (const auto& s : settings())
    if (s.key.size() > path.size() && s.key.substr(0, path.size()) == path &&
        s.key[path.size()] == '.')
      return true;
  return false;
}

struct Found {
  YAML::Node node;
  YAML::Mark mark;
};

void walk(const YAML::Node& map, const std::string& prefix, const std::string& label,
          std::map<std::string, Found>& found, std::vector<std::string>& errors) {
  for (const auto& kv : map) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    if (find_setting(path)) {
      if (found.count(path))
        errors.push_back(where(label, kv.first.Mark()) + ": " + path + ": key given twice");
      found[path] = Found{kv.second, kv.second.Mark()};
    } else if (is_section(path)) {
      if (kv.second.IsMap())
        walk(kv.second, path, label, found, errors);
      else if (!kv.second.IsNull())
        errors.push_back(where(label, kv.second.Mark()) + ": " + path +
                         ": expected a map of settings");
    } else {
      errors.push_back(where(label, kv.first.Mark()) + ": " + path + ": unknown key");
    }
  }
}

bool file_readable(const std::string& path, std::string& why) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = std::strerror(errno);
    return false;
  }
  return true;
}

bool wildcard(const std::string& host) {
  return host == "0.0.0.0" || host == "::" || host == "*";
}

void cross_check(const Config& c, const std::string& label, std::vector<std::string>& errors) {
  const std::pair<const char*, const Endpoint*> listeners[] = {
      {"smtp.inbound.listen", &c.smtp.inbound.listen},
      {"smtp.submission.listen", &c.smtp.submission.listen},
      {"admin.listen", &c.admin.listen},
      {"sync.listen", &c.sync.listen},
  };
  for (size_t i = 0; i < std::size(listeners); ++i)
    for (size_t j = i + 1; j < std::size(listeners); ++j) {
      const auto& a = *listeners[i].second;
      const auto& b = *listeners[j].second;
      if (a.port == b.port && (a.host == b.host || wildcard(a.host) || wildcard(b.host)))
        errors.push_back(label + ": " + listeners[j].first + ": port " + std::to_string(b.port) +
                         " is already used by " + listeners[i].first);
    }
  if (!c.relay.smarthost.empty()) {
    std::string why;
    if (!parse_endpoint(c.relay.smarthost, &why))
      errors.push_back(label + ": relay.smarthost: " + why);
  }
  if (c.smtp.tls.certificate_file.empty() != c.smtp.tls.key_file.empty())
    errors.push_back(label + ": smtp.tls: certificate_file and key_file must be given together");
  const std::pair<const char*, const std::string*> files[] = {
      {"smtp.tls.certificate_file", &c.smtp.tls.certificate_file},
      {"smtp.tls.key_file", &c.smtp.tls.key_file},
      {"admin.tokens_file", &c.admin.tokens_file},
  };
  for (const auto& [key, path] : files) {
    std::string why;
    if (!path->empty() && !file_readable(*path, why))
      errors.push_back(label + ": " + key + ": cannot read \"" + *path + "\": " + why);
  }
}

}  // namespace

std::string env_name(std::string_view key) {
  std::string out = "SMIMEGW_";
  for (char c : key) out += (c == '.') ? '_' : static_cast<char>(std::toupper(c));
  return out;
}

Environment process_environment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    if (kv.rfind("SMIMEGW_", 0) != 0) continue;
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

LoadOutcome load_config_text(const std::string& yaml, const std::string& label,
                             const Environment& env) {
  LoadOutcome out;
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::ParserException& e) {
    out.errors.push_back(where(label, e.mark) + ": YAML syntax error: " + e.msg);
    return out;
  }
  std::map<std::string, Found> found;
  if (root.IsMap()) {
    walk(root, "", label, found, out.errors);
  } else if (!root.IsNull()) {
    out.errors.push_back(where(label, root.Mark()) + ": the top level must be a map of settings");
    return out;
  }

  Config cfg;
  cfg.source_file = label;
  for (const auto& s : settings()) {
    YAML::Node node;
    std::string loc, origin;
    if (auto it = env.find(env_name(s.key)); it != env.end()) {
      origin = "env " + it->first;
      loc = "environment " + it->first;
      try {
        node = YAML::Load(it->second);
      } catch (const YAML::Exception&) {
        node = YAML::Node(it->second);
      }
    } else if (auto f = found.find(std::string(s.key)); f != found.end()) {
      node = f->second.node;
      loc = where(label, f->second.mark);
      origin = "file";
    } else {
      node = YAML::Load(std::string(s.default_value));
      loc = "default";
      origin = "default";
    }
    std::string why;
    auto value = detail::convert(s, node, why);
    if (!value) {
      out.errors.push_back(loc + ": " + std::string(s.key) + ": " + why);
      continue;
    }
    if (s.apply) s.apply(cfg, *value);
    std::string rendered = detail::render(*value);
    if (s.secret && rendered != "\"\"") rendered = "<redacted>";
    out.effective.push_back({std::string(s.key), rendered, origin});
    if (s.key == "database.password_file" && std::holds_alternative<std::string>(*value)) {
      const auto& path = std::get<std::string>(*value);
      if (!path.empty()) {
        std::ifstream in(path);
        if (!in) {
          out.errors.push_back(loc + ": database.password_file: cannot read \"" + path +
                               "\": " + std::strerror(errno));
        } else {
          std::getline(in, cfg.database.password);
        }
      }
    }
  }
  if (out.errors.empty()) cross_check(cfg, label, out.errors);
  if (out.errors.empty()) out.config = std::move(cfg);
  return out;
}

LoadOutcome load_config(const std::filesystem::path& file, const Environment& env) {
  std::error_code fec;
  if (std::filesystem::is_directory(file, fec)) {
    LoadOutcome out;
    out.errors.push_back(file.string() + ": cannot read configuration: is a directory");
    return out;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    LoadOutcome out;
    out.errors.push_back(file.string() + ": cannot read configuration: " + std::strerror(errno));
    return out;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return load_config_text(ss.str(), file.string(), env);
}

std::string render_effective(const LoadOutcome& outcome) {
  std::string out;
  for (const auto& e : outcome.effective) out += e.key + ": " + e.value + "  # " + e.origin + "\n";
  return out;
}

std::string settings_markdown() {
  std::string out =
      "# Configuration reference\n\n"
      "Generated from the settings table (`src/config/settings_table.cpp`) by "
      "`smimegw config-doc`; a test fails when this file is stale.\n\n"
      "The configuration is one YAML file (`config/smimegw.yaml` is the documented default), "
      "given to every subcommand with `-c FILE`. Unknown keys and bad values are errors that "
      "name the file, line and key; all errors are reported at once. Every key can be "
      "overridden by an environment variable: `SMIMEGW_` followed by the key in upper case with "
      "dots replaced by underscores (e.g. `SMIMEGW_DATABASE_URL`). Secrets are shown as "
      "`<redacted>` by `smimegw check-config`, whose listing is itself a valid configuration "
      "(values quoted where YAML needs it).\n\n"
      "Text values are UTF-8 without control characters. An endpoint (`host:port`) names an "
      "IPv4 address, a host name, `*` (every IPv4 address) or an IPv6 address in brackets "
      "(`[::1]:8443`, no zone id).\n\n"
      "| key | type | default | allowed | secret | reloadable | description |\n"
      "|---|---|---|---|---|---|---|\n";
  for (const auto& s : settings()) {
    std::string allowed;
    if (s.type == Type::Int)
      allowed = std::to_string(s.min) + " .. " + std::to_string(s.max);
    else if (s.type == Type::Endpoint)
      allowed = "port 1 .. 65535";
    for (auto a : s.allowed) allowed += (allowed.empty() ? "" : ", ") + std::string(a);
    std::string def = s.default_value.empty() ? "\"\"" : std::string(s.default_value);
    out += "| `" + std::string(s.key) + "` | " + std::string(type_name(s.type)) + " | `" + def +
           "` | " + allowed + " | " + (s.secret ? "yes" : "no") + " | " +
           (s.reloadable ? "yes" : "no") + " | " + std::string(s.doc) + " |\n";
  }
  return out;
}

}  // namespace smimegw::config
