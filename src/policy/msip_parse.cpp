// policy: tolerant msip_labels parsing (msip_labels.hpp).
#include <charconv>

#include "smimegw/core/address.hpp"
#include "smimegw/policy/guid.hpp"
#include "smimegw/policy/msip_labels.hpp"

namespace smimegw::policy {
namespace {

constexpr std::string_view kPrefix = "msip_label_";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && core::ascii_lower(a) == core::ascii_lower(b);
}

std::string guid_or_raw(std::string_view v) {
  auto g = normalize_guid(v);
  return g ? *g : std::string(v);
}

class Parser {
 public:
  Parser(const MsipLimits& l) : lim_(l) {}

  core::Status entry(std::string_view raw) {
    auto e = trim(raw);
    if (e.empty()) return {};
    if (++entries_ > lim_.max_entries)
      return core::Error::make(
          "msip_labels_too_many_entries",
          "msip_labels has more than " + std::to_string(lim_.max_entries) + " entries");
    for (unsigned char c : e)
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        warn(e, "control character");
        return {};
      }
    auto eq = e.find('=');
    if (eq == std::string_view::npos) {
      warn(e, "no '='");
      return {};
    }
    auto key = trim(e.substr(0, eq));
    auto value = trim(e.substr(eq + 1));
    if (key.empty()) {
      warn(e, "empty key");
      return {};
    }
    // MSIP_Label_<36-character GUID>_<attribute>
    std::optional<std::string> id;
    if (key.size() > kPrefix.size() + 37 && iequals(key.substr(0, kPrefix.size()), kPrefix) &&
        key[kPrefix.size() + 36] == '_')
      id = normalize_guid(key.substr(kPrefix.size(), 36));
    if (!id) {
      out_.header.other.emplace_back(std::string(key), std::string(value));
      return {};
    }
    MsipLabel* label = nullptr;
    for (auto& l : out_.header.labels)
      if (l.id == *id) label = &l;
    if (!label) {
      if (out_.header.labels.size() >= lim_.max_labels)
        return core::Error::make(
            "msip_labels_too_many_labels",
            "msip_labels carries more than " + std::to_string(lim_.max_labels) + " labels");
      out_.header.labels.push_back(MsipLabel{.id = *id});
      label = &out_.header.labels.back();
    }
    attribute(*label, key.substr(kPrefix.size() + 37), value, e);
    return {};
  }

  // A label whose every entry was dropped has nothing to say (and nothing to re-emit).
  MsipParse take() {
    auto& labels = out_.header.labels;
    std::erase_if(labels, [](const MsipLabel& l) { return l == MsipLabel{.id = l.id}; });
    return std::move(out_);
  }

 private:
  void warn(std::string_view entry, const std::string& why) {
    std::string shown;
    for (unsigned char c : entry.substr(0, 80)) shown += c < 0x20 || c == 0x7F ? '?' : char(c);
    out_.warnings.push_back("dropped entry \"" + shown + "\": " + why);
  }

  void attribute(MsipLabel& l, std::string_view attr, std::string_view v, std::string_view e) {
    const auto a = core::ascii_lower(attr);
    if (a == "enabled") {
      if (iequals(v, "true")) {
        l.enabled = true;
      } else if (iequals(v, "false")) {
        l.enabled = false;
      } else {
        warn(e, "Enabled is neither true nor false");
      }
    } else if (a == "setdate") {
      l.set_date = std::string(v);
    } else if (a == "method") {
      l.method = std::string(v);
    } else if (a == "name") {
      l.name = std::string(v);
    } else if (a == "siteid") {
      l.site_id = guid_or_raw(v);
    } else if (a == "actionid") {
      l.action_id = guid_or_raw(v);
    } else if (a == "contentbits") {
      int bits = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), bits);
      if (ec != std::errc() || p != v.data() + v.size() || bits < 0 || v.empty()) {
        warn(e, "ContentBits is not a non-negative integer");
      } else {
        l.content_bits = bits;
      }
    } else {
      for (auto& [k, val] : l.extra)
        if (iequals(k, attr)) {
          val = std::string(v);
          return;
        }
      l.extra.emplace_back(std::string(attr), std::string(v));
    }
  }

  const MsipLimits& lim_;
  MsipParse out_;
  std::size_t entries_ = 0;
};

}  // namespace

core::Result<MsipParse> parse_msip_labels(std::string_view value, const MsipLimits& limits) {
  if (value.size() > limits.max_bytes)
    return core::Error::make(
        "msip_labels_too_long",
        "msip_labels is longer than " + std::to_string(limits.max_bytes) + " bytes");
  // Unfold: drop CR and LF (folding leaves the following whitespace, which trim() removes).
  std::string unfolded;
  unfolded.reserve(value.size());
  for (char c : value)
    if (c != '\r' && c != '\n') unfolded += c;
  Parser parser(limits);
  std::string_view rest = unfolded;
  while (true) {
    auto semi = rest.find(';');
    if (auto s = parser.entry(rest.substr(0, semi)); !s) return s.error();
    if (semi == std::string_view::npos) break;
    rest.remove_prefix(semi + 1);
  }
  return parser.take();
}

std::vector<const MsipLabel*> tenant_labels(const MsipHeader& header, std::string_view site_id) {
  std::vector<const MsipLabel*> out;
  for (const auto& l : header.labels)
    if (l.enabled.value_or(false) && (!l.site_id || *l.site_id == site_id)) out.push_back(&l);
  return out;
}

}  // namespace smimegw::policy
