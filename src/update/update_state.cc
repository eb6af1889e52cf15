#include "update/update_state.h"

#include <filesystem>
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

// Throws nlohmann's type_error / out_of_range on a value of the wrong type; the caller turns
// that into "damaged".
Result<UpdateState> from_json(const json& j) {
  UpdateState s;
  if (j.contains("trial")) {
    const json& t = j.at("trial");
    auto v = parse_version(t.at("version").get<std::string>());
    if (!v) return v.status();
    s.trial = Trial{v.value(), t.at("started").get<int64_t>(), t.at("launches").get<int>()};
    if (t.contains("deadline"))
      s.trial->deadline_s = t.at("deadline").get<int64_t>();  // absent before 0.1.0's trials had it
    if (s.trial->deadline_s < 1 || s.trial->deadline_s > kMaxHealthDeadlineS) {
      return Status::Corruption("trial.deadline: not 1 to " + std::to_string(kMaxHealthDeadlineS) + " seconds");
    }
  }
  for (const json& b : j.at("bad")) {
    auto v = parse_version(b.get<std::string>());
    if (!v) return v.status();
    s.bad.push_back(v.value());
  }
  for (const json& h : j.at("history")) {
    s.record({h.at("time").get<int64_t>(), h.at("from").get<std::string>(), h.at("to").get<std::string>(),
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
