#include "config/measurement_keys.h"

#include <fmt/format.h>

#include <array>

#include "base/strings.h"
#include "config/json_reader.h"

namespace iw::config::detail {
namespace {

// A key the parser reads, where it reads it, and what it means to the user.
struct Setting {
  std::string_view key;
  KeyPlace place;
  std::string_view meaning;
  // Changes how a channel is measured: then also recognised with a suffix ("phase_deg").
  bool measures = true;
};

// Every input key the parser reads, and the device keys that change measurement.
constexpr std::array<Setting, 20> kSettings = {{
    {"channel", KeyPlace::kInput, "the input's channel, equal to its position in \"inputs\"", false},
    {"name", KeyPlace::kInput, "the input's name", false},
    {"type", KeyPlace::kInput, "\"VT\" or \"CT\""},
    {"model", KeyPlace::kInput, "the sensor's catalog model, or \"generic\""},
    {"cal", KeyPlace::kInput, "amps per volt for a CT, line volts per VT volt for a VT"},
    {"turns", KeyPlace::kInput, "a CT's turns ratio; with device.burden it sets cal"},
    {"phase", KeyPlace::kInput, "static lead of the sensor, degrees"},
    {"p50", KeyPlace::kInput, "lead table below 55 Hz, [phi0, t1, phi1, ...]"},
    {"p60", KeyPlace::kInput, "lead table at 55 Hz and above, [phi0, t1, phi1, ...]"},
    {"vchan", KeyPlace::kInput, "channel of the CT's voltage reference"},
    {"vphase", KeyPlace::kInput, "derived three-phase shift of the CT's reference, degrees"},
    {"vmult", KeyPlace::kInput, "multiplier of the CT's reference voltage"},
    {"signed", KeyPlace::kInput, "true keeps negative power"},
    {"double", KeyPlace::kInput, "true for a 240 V load measured against a 120 V reference"},
    {"reverse", KeyPlace::kInput, "true negates the samples"},
    {"step_watts", KeyPlace::kInput, "a CT's smallest power step reported as an event, watts; 0: none", false},
    {"role", KeyPlace::kInput, "what the input measures for the home view: \"mains\", \"solar\" or \"circuit\"", false},
    {"channels", KeyPlace::kDevice, "the number of inputs", false},
    {"burden", KeyPlace::kDevice, "burden resistor of each channel, ohms: [r0, r1, ...]"},
    {"refvolts", KeyPlace::kDevice, "the ADC reference voltage"},
}};

// Words that say "measurement" anywhere in a key ("ct_ratio", "lead_deg"), the setting to
// write instead, and another one that may be meant. An empty setting: there is none such.
struct Stem {
  std::string_view stem;
  std::string_view key;
  std::string_view also;
};

constexpr std::array<Stem, 8> kStems = {{
    {"lead", "phase", "or \"p50\"/\"p60\", lead tables"},
    {"phase", "phase", ""},
    {"ratio", "turns", "or \"cal\" for a VT"},
    {"turns", "turns", ""},
    {"calib", "cal", ""},
    {"gain", "cal", ""},
    {"burden", "burden", ""},
    {"offset", "", ""},
}};

const Setting* setting(std::string_view key) {
  for (const Setting& s : kSettings) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

// Lower case without separators: "P_50" -> "p50", "vChan" -> "vchan".
std::string normalized(std::string_view key) {
  std::string out;
  for (char c : lower(key)) {
    if (c != '_' && c != '-' && c != ' ' && c != '.') out += c;
  }
  return out;
}

// What `key` most likely means: a setting of the same letters, else the longest
// measurement setting it starts with, else a measurement word it contains.
struct Meaning {
  const Setting* setting = nullptr;  // nullptr: no setting does what the key says
  std::string_view also;
};

std::optional<Meaning> meant(std::string_view key) {
  const std::string k = normalized(key);
  if (k.empty()) return std::nullopt;
  const Setting* best = nullptr;
  for (const Setting& s : kSettings) {
    if (k == s.key) return Meaning{&s, ""};
    if (s.measures && k.starts_with(s.key) && (!best || s.key.size() > best->key.size())) best = &s;
  }
  if (best) return Meaning{best, ""};
  for (const Stem& s : kStems) {
    if (k.find(s.stem) != std::string::npos) return Meaning{setting(s.key), s.also};
  }
  return std::nullopt;
}

std::string_view where(KeyPlace place) {
  return place == KeyPlace::kDevice ? " in \"device\"" : " in the entry of its channel in \"inputs\"";
}

}  // namespace

std::optional<std::string> measurement_key_problem(std::string_view key, KeyPlace place) {
  const std::optional<Meaning> m = meant(key);
  if (!m) return std::nullopt;
  constexpr std::string_view kLooks = "looks like a measurement setting but is not read";
  if (!m->setting) {
    return fmt::format(
        "{}; there is no such setting (each cycle's DC offset is removed by the measurement): "
        "delete the key",
        kLooks);
  }
  const Setting& s = *m->setting;
  if (!s.measures && s.place != place) return std::nullopt;  // "name" at the top: not ours to judge
  const std::string also = m->also.empty() ? "" : fmt::format(", {}", m->also);
  if (s.place == place) return fmt::format("{}; write \"{}\" ({}){}", kLooks, s.key, s.meaning, also);
  return fmt::format("{} here; write \"{}\" ({}){}{}", kLooks, s.key, s.meaning, also, where(s.place));
}

}  // namespace iw::config::detail
