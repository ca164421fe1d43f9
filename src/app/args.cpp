#include "args.hpp"

#include <cstdlib>

namespace smimegw::app {

const std::vector<std::string>& Args::all(const std::string& name) const {
  static const std::vector<std::string> none;
  auto it = values.find(name);
  return it == values.end() ? none : it->second;
}

std::optional<Args> parse_args(int argc, char** argv, int first,
                               const std::vector<OptionSpec>& spec, std::string& error) {
  Args out;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    const OptionSpec* opt = nullptr;
    std::optional<std::string> inline_value;
    if (a.rfind("--", 0) == 0 && a.size() > 2) {
      std::string name = a.substr(2);
      if (auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      for (const auto& s : spec)
        if (s.name == name) opt = &s;
    } else if (a.size() == 2 && a[0] == '-' && a[1] != '-') {
      for (const auto& s : spec)
        if (s.short_name == a[1]) opt = &s;
    } else {
      out.positional.push_back(a);
      continue;
    }
    if (!opt) {
      error = "unknown option " + a;
      return std::nullopt;
    }
    if (!opt->repeatable && out.has(opt->name)) {
      error = "option --" + opt->name + " given twice";
      return std::nullopt;
    }
    if (!opt->takes_value) {
      if (inline_value) {
        error = "option --" + opt->name + " takes no value";
        return std::nullopt;
      }
      out.values[opt->name].push_back("true");
      continue;
    }
    if (inline_value) {
      out.values[opt->name].push_back(*inline_value);
    } else if (i + 1 < argc) {
      out.values[opt->name].push_back(argv[++i]);
    } else {
      error = "option " + a + " needs a value";
      return std::nullopt;
    }
  }
  return out;
}

std::string config_path(const Args& args) {
  if (args.has("config")) return args.get("config");
  if (const char* env = std::getenv("SMIMEGW_CONFIG")) return env;
  return "config/smimegw.yaml";
}

}  // namespace smimegw::app
