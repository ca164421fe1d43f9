// app: YAML catalog file → policy::Catalog (labels_yaml.hpp).
#include "labels_yaml.hpp"

#include <yaml-cpp/yaml.h>

#include <map>
#include <set>

#include "smimegw/core/address.hpp"
#include "smimegw/policy/guid.hpp"

namespace smimegw::app {
namespace {

class Reader {
 public:
  /// `path` empty: the text comes from elsewhere (an API body) and errors carry no position.
  explicit Reader(std::string path) : path_(std::move(path)) {}

  std::optional<policy::Catalog> run(std::vector<std::string>& errors) {
    YAML::Node root;
    try {
      root = YAML::LoadFile(path_);
    } catch (const YAML::BadFile&) {
      errors.push_back(path_ + ": cannot read the file");
      return std::nullopt;
    } catch (const YAML::Exception& e) {
      errors.push_back(path_ + ":" + std::to_string(e.mark.line + 1) + ":" +
                       std::to_string(e.mark.column + 1) + ": " + e.msg);
      return std::nullopt;
    }
    return catalog(root, errors);
  }

  std::optional<policy::Label> one_label(const YAML::Node& n, std::vector<std::string>& errors) {
    if (!n.IsMap()) fail("", n, "expected a mapping (a label)");
    auto l = n.IsMap() ? label(n, "") : policy::Label{};
    return done(std::move(l), errors);
  }

  std::optional<policy::LabelPolicy> one_policy(const YAML::Node& n, const policy::Catalog& c,
                                                std::vector<std::string>& errors) {
    if (!n.IsMap()) fail("", n, "expected a mapping (a label policy)");
    auto p = n.IsMap() ? policy(n, "", c) : policy::LabelPolicy{};
    return done(std::move(p), errors);
  }

  std::optional<policy::Catalog> catalog(const YAML::Node& root, std::vector<std::string>& errors) {
    policy::Catalog cat;
    if (!root.IsMap()) {
      fail("", root, "expected a mapping with labels and policies");
    } else {
      keys(root, "", {"labels", "policies"});
      for_each(root["labels"], "labels", [&](const YAML::Node& n, const std::string& f) {
        cat.labels.push_back(label(n, f));
      });
      for_each(root["policies"], "policies", [&](const YAML::Node& n, const std::string& f) {
        cat.policies.push_back(policy(n, f, cat));
      });
    }
    for (const auto& e : policy::validate(cat)) fail_at(e.field, e.message);
    if (!errors_.empty()) {
      errors.insert(errors.end(), errors_.begin(), errors_.end());
      return std::nullopt;
    }
    return cat;
  }

 private:
  template <class T>
  std::optional<T> done(T value, std::vector<std::string>& errors) {
    if (errors_.empty()) return value;
    errors.insert(errors.end(), errors_.begin(), errors_.end());
    return std::nullopt;
  }
  // Without a file: "field: message" (a top-level field of a single entry has no leading dot).
  bool unlocated(const std::string& field, const std::string& msg) {
    if (!path_.empty()) return false;
    std::string f = !field.empty() && field[0] == '.' ? field.substr(1) : field;
    errors_.push_back((f.empty() ? "body" : f) + ": " + msg);
    return true;
  }
  void fail(const std::string& field, const YAML::Node& n, const std::string& msg) {
    if (unlocated(field, msg)) return;
    auto m = n.Mark();
    errors_.push_back(path_ + ":" + std::to_string(m.line + 1) + ":" +
                      std::to_string(m.column + 1) + ": " + (field.empty() ? "" : field + ": ") +
                      msg);
  }
  // A validator error: the mark of the field, or of its nearest recorded parent.
  void fail_at(const std::string& field, const std::string& msg) {
    if (unlocated(field, msg)) return;
    std::string f = field;
    while (!f.empty() && !marks_.count(f)) {
      auto cut = f.find_last_of(".[");
      f = cut == std::string::npos ? "" : f.substr(0, cut);
    }
    auto m = marks_.count(f) ? marks_[f] : YAML::Mark();
    errors_.push_back(path_ + ":" + std::to_string(m.line + 1) + ":" +
                      std::to_string(m.column + 1) + ": " + field + ": " + msg);
  }
  void mark(const std::string& f, const YAML::Node& n) {
    if (n.IsDefined()) marks_[f] = n.Mark();
  }
  void keys(const YAML::Node& map, const std::string& f, std::set<std::string> allowed) {
    for (const auto& kv : map) {
      auto k = kv.first.as<std::string>("");
      if (!allowed.count(k)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        fail(f.empty() ? k : f + "." + k, kv.first, "unknown key (allowed: " + list + ")");
      }
    }
  }
  template <class F>
  void for_each(const YAML::Node& seq, const std::string& f, F fn) {
    if (!seq.IsDefined() || seq.IsNull()) return;
    mark(f, seq);
    if (!seq.IsSequence()) return fail(f, seq, "expected a list");
    for (std::size_t i = 0; i < seq.size(); ++i) {
      const std::string fi = f + "[" + std::to_string(i) + "]";
      mark(fi, seq[i]);
      if (!seq[i].IsMap()) {
        fail(fi, seq[i], "expected a mapping");
        continue;
      }
      fn(seq[i], fi);
    }
  }
  template <class T>
  T scalar(const YAML::Node& map, const char* key, const std::string& f, T dflt, const char* what) {
    auto n = map[key];
    const std::string fk = f + "." + key;
    mark(fk, n);
    if (!n.IsDefined() || n.IsNull()) return dflt;
    try {
      if (!n.IsScalar()) throw YAML::Exception(n.Mark(), "");
      return n.as<T>();
    } catch (const YAML::Exception&) {
      fail(fk, n, std::string("expected ") + what);
      return dflt;
    }
  }
  std::string str(const YAML::Node& m, const char* k, const std::string& f) {
    return scalar<std::string>(m, k, f, "", "a string");
  }
  std::vector<std::string> strings(const YAML::Node& map, const char* key, const std::string& f) {
    std::vector<std::string> out;
    auto n = map[key];
    const std::string fk = f + "." + key;
    mark(fk, n);
    if (!n.IsDefined() || n.IsNull()) return out;
    if (!n.IsSequence()) {
      fail(fk, n, "expected a list");
      return out;
    }
    for (std::size_t i = 0; i < n.size(); ++i) {
      const std::string fi = fk + "[" + std::to_string(i) + "]";
      mark(fi, n[i]);
      if (!n[i].IsScalar()) {
        fail(fi, n[i], "expected a string");
        continue;
      }
      out.push_back(n[i].as<std::string>());
    }
    return out;
  }

  policy::Label label(const YAML::Node& n, const std::string& f) {
    keys(n, f,
         {"id", "name", "display_name", "priority", "marking", "protection", "rights", "scope",
          "content_expiry_days"});
    policy::Label l;
    auto id = str(n, "id", f);
    l.id = policy::normalize_guid(id).value_or(id);
    l.name = str(n, "name", f);
    l.display_name = scalar<std::string>(n, "display_name", f, l.name, "a string");
    l.priority = scalar<int>(n, "priority", f, 0, "an integer");
    if (!n["priority"].IsDefined()) fail(f + ".priority", n, "missing (labels need a priority)");
    if (auto m = n["marking"]; m.IsDefined() && !m.IsNull()) {
      mark(f + ".marking", m);
      if (!m.IsMap()) {
        fail(f + ".marking", m, "expected a mapping with header and/or footer");
      } else {
        keys(m, f + ".marking", {"header", "footer"});
        l.header_template = str(m, "header", f + ".marking");
        l.footer_template = str(m, "footer", f + ".marking");
      }
    }
    auto prot = scalar<std::string>(n, "protection", f, "none", "none or encrypt");
    if (auto p = policy::parse_protection(prot)) {
      l.protection = *p;
    } else {
      fail(f + ".protection", n["protection"], "expected none or encrypt");
    }
    if (n["rights"].IsDefined()) {
      l.rights.bits = 0;
      auto names = strings(n, "rights", f);
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (auto r = policy::parse_right(names[i])) {
          l.rights.add(*r);
        } else {
          fail(f + ".rights[" + std::to_string(i) + "]", n["rights"][i],
               "unknown right \"" + names[i] +
                   "\" (view, edit, print, copy, forward, reply, reply-all)");
        }
      }
    }
    if (auto s = n["scope"]; s.IsDefined() && !s.IsNull()) {
      const std::string fs = f + ".scope";
      mark(fs, s);
      if (!s.IsMap()) {
        fail(fs, s, "expected a mapping with internal_only or domains");
      } else {
        keys(s, fs, {"internal_only", "domains"});
        l.scope.internal_only = scalar<bool>(s, "internal_only", fs, false, "true or false");
        for (auto& d : strings(s, "domains", fs)) l.scope.domains.push_back(core::ascii_lower(d));
      }
    }
    l.content_expiry_days = scalar<int>(n, "content_expiry_days", f, 0, "an integer (days)");
    return l;
  }

  // A label reference (name or id) → the label's id; unknown references stay as written so the
  // validator reports them at their field.
  static std::string ref(const policy::Catalog& c, const std::string& r) {
    const auto* l = policy::find_label(c, r);
    return l ? l->id : r;
  }

  policy::LabelPolicy policy(const YAML::Node& n, const std::string& f, const policy::Catalog& c) {
    keys(n, f,
         {"name", "priority", "all_users", "users", "groups", "labels", "default_label",
          "mandatory"});
    policy::LabelPolicy p;
    p.name = str(n, "name", f);
    p.priority = scalar<int>(n, "priority", f, 0, "an integer");
    if (!n["priority"].IsDefined()) fail(f + ".priority", n, "missing (policies need a priority)");
    p.all_users = scalar<bool>(n, "all_users", f, false, "true or false");
    for (auto& u : strings(n, "users", f)) p.users.push_back(core::ascii_lower(u));
    for (auto& g : strings(n, "groups", f)) p.groups.push_back(core::ascii_lower(g));
    for (auto& l : strings(n, "labels", f)) p.labels.push_back(ref(c, l));
    auto d = str(n, "default_label", f);
    if (!d.empty()) p.default_label = ref(c, d);
    p.mandatory = scalar<bool>(n, "mandatory", f, false, "true or false");
    return p;
  }

  std::string path_;
  std::vector<std::string> errors_;
  std::map<std::string, YAML::Mark> marks_;
};

}  // namespace

std::optional<policy::Catalog> load_catalog_file(const std::string& path,
                                                 std::vector<std::string>& errors) {
  return Reader(path).run(errors);
}

namespace {

std::optional<YAML::Node> load_text(const std::string& text, std::vector<std::string>& errors) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    errors.push_back("body: " + e.msg);
    return std::nullopt;
  }
}

}  // namespace

std::optional<policy::Catalog> parse_catalog_text(const std::string& text,
                                                  std::vector<std::string>& errors) {
  auto root = load_text(text, errors);
  if (!root) return std::nullopt;
  return Reader("").catalog(*root, errors);
}

std::optional<policy::Label> parse_label_text(const std::string& text,
                                              std::vector<std::string>& errors) {
  auto root = load_text(text, errors);
  if (!root) return std::nullopt;
  return Reader("").one_label(*root, errors);
}

std::optional<policy::LabelPolicy> parse_policy_text(const std::string& text,
                                                     const policy::Catalog& catalog,
                                                     std::vector<std::string>& errors) {
  auto root = load_text(text, errors);
  if (!root) return std::nullopt;
  return Reader("").one_policy(*root, catalog, errors);
}

}  // namespace smimegw::app
