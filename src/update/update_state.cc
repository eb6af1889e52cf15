#include "update/update_state.h"

#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/json_read.h"
#include "update/signing_key.h"

namespace iw::update {
namespace {

using nlohmann::json;

json to_json(const UpdateState& s) {
  json j = json::object();
  if (s.trial) {
    j["trial"] = {{"version", s.trial->version.to_string()},
                  {"started", s.trial->started},
                  {"launches", s.trial->launches},
                  {"deadline", s.trial->deadline_s}};
  }
  j["bad"] = json::array();
  for (const ReleaseVersion& v : s.bad) j["bad"].push_back(v.to_string());
  j["history"] = json::array();
  for (const HistoryEntry& h : s.history) {
    j["history"].push_back(
        {{"time", h.time}, {"from", h.from}, {"to", h.to}, {"outcome", h.outcome}, {"reason", h.reason}});
  }
  j["keys"] = s.keys;
  return j;
}

// The integer at o[key], refused unless it is a JSON integer within [lo, hi] (json_integer).
Result<int64_t> integer_at(const json& o, const char* key, int64_t lo, int64_t hi) {
  const std::optional<int64_t> v = json_integer(o.at(key), lo, hi);
  if (!v) {
    return Status::Corruption(std::string(key) + ": not a whole number from " + std::to_string(lo) + " to " +
                              std::to_string(hi));
  }
  return *v;
}

// Throws nlohmann's type_error / out_of_range on a value of the wrong type; the caller turns
// that into "damaged".
Result<UpdateState> from_json(const json& j) {
  constexpr int64_t kMaxTime = int64_t{1} << 40;  // unix seconds, far beyond any real clock
  UpdateState s;
  if (j.contains("trial")) {
    const json& t = j.at("trial");
    auto v = parse_version(t.at("version").get<std::string>());
    if (!v) return v.status();
    auto started = integer_at(t, "started", 0, kMaxTime);
    if (!started) return Status::Corruption("trial." + started.status().message());
    auto launches = integer_at(t, "launches", 0, std::numeric_limits<int>::max());
    if (!launches) return Status::Corruption("trial." + launches.status().message());
    s.trial = Trial{v.value(), started.value(), static_cast<int>(launches.value())};
    if (t.contains("deadline")) {  // absent before 0.1.0's trials had it
      auto deadline = integer_at(t, "deadline", 1, kMaxHealthDeadlineS);
      if (!deadline) return Status::Corruption("trial." + deadline.status().message());
      s.trial->deadline_s = deadline.value();
    }
  }
  for (const json& b : j.at("bad")) {
    auto v = parse_version(b.get<std::string>());
    if (!v) return v.status();
    s.bad.push_back(v.value());
  }
  for (const json& h : j.at("history")) {
    auto time = integer_at(h, "time", 0, kMaxTime);
    if (!time) return Status::Corruption("history." + time.status().message());
    s.record({time.value(), h.at("from").get<std::string>(), h.at("to").get<std::string>(),
              h.at("outcome").get<std::string>(), h.at("reason").get<std::string>()});
  }
  for (const json& k : j.at("keys")) {
    if (!is_public_key_hex(k.get<std::string>())) return Status::Corruption("keys: not a public key");
    s.keys.push_back(k.get<std::string>());
  }
  return s;
}

}  // namespace

void UpdateState::record(HistoryEntry entry) {
  history.push_back(std::move(entry));
  if (history.size() > kMaxHistory) history.erase(history.begin(), history.end() - kMaxHistory);
}

Result<UpdateState> parse_update_state(std::string_view text) {
  if (text.size() > kMaxStateBytes)
    return Status::Corruption("larger than " + std::to_string(kMaxStateBytes) + " bytes");
  JsonRead read = read_json(text);
  if (!read.ok()) return Status::Corruption(read.error->message());
  if (!read.value.is_object()) return Status::Corruption("not a JSON object");
  try {
    return from_json(read.value);
  } catch (const json::exception& e) {
    return Status::Corruption(e.what());
  }
}

std::string update_state_text(const UpdateState& state) { return to_json(state).dump(2) + "\n"; }

LoadedState load_update_state(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return {};
  auto text = read_file(path, kMaxStateBytes);
  if (!text) return {{}, text.status()};
  Result<UpdateState> state = parse_update_state(text.value());
  if (state.ok()) return {std::move(state.value()), Status::Ok()};
  auto aside = set_aside(path);
  return {{},
          Status::Corruption(path + " is damaged (" + state.error() + "); set aside as " +
                             (aside.ok() ? aside.value() : std::string("(could not rename it)")) +
                             ", the updater starts from an empty state")};
}

Status save_update_state(const std::string& path, const UpdateState& state) {
  return write_private_file(path, update_state_text(state));
}

}  // namespace iw::update
