#include "app/upload_service.h"

#include <spdlog/spdlog.h>

#include "base/json_read.h"
#include "config/uploader_config.h"
#include "upload/http_uploader.h"

namespace iw::app {

UploadService::UploadService(std::string data_dir, const query::RecordSource& records, const DatalogService& logs)
    : data_dir_(std::move(data_dir)), records_(records), logs_(logs) {}

UploadService::~UploadService() { stop(); }

nlohmann::json measurement_basis(const config::Config& config) {
  nlohmann::json inputs = nlohmann::json::array();
  for (const auto& in : config.inputs) {
    inputs.push_back(in ? nlohmann::json{{"name", in->name}, {"vt", in->is_vt()}, {"signed", in->is_signed}}
                        : nlohmann::json());
  }
  auto scripts = [](const std::vector<config::ScriptDef>& defs) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : defs) out.push_back({d.name, d.units, d.text, d.syntax == config::ScriptSyntax::kOriginal});
    return out;
  };
  return {{"inputs", inputs},
          {"outputs", scripts(config.outputs)},
          {"integrators", scripts(config.integrators)},
          {"device", config.device.name},
          {"timezone", config.timezone},
          {"timezone_name", config.timezone_name},
          {"dstrule", config.dstrule}};
}

void UploadService::apply(const config::Config& config, const upload::MeasurementContext& measurements) {
  std::map<std::string, Slot> next;
  std::lock_guard lock(mu_);
  nlohmann::json basis = measurement_basis(config);
  const bool basis_changed = basis != basis_;
  basis_ = std::move(basis);
  for (std::string_view key_view : config::kHttpUploaderKeys) {
    const std::string key(key_view);
    const nlohmann::json* section = config.section(key);
    if (!section) continue;
    if (auto it = slots_.find(key); it != slots_.end() && it->second.section == *section && !basis_changed) {
      next[key] = std::move(it->second);
      slots_.erase(it);
      continue;
    }
    Slot slot;
    slot.section = *section;
    slot.type = section->is_object() ? section->value("type", key) : key;
    if (auto old = slots_.find(key); old != slots_.end()) {
      if (old->second.runner) old->second.runner->stop();  // its cursor is saved: the new one continues
      spdlog::info("upload {}: {} changed, restarting", key,
                   old->second.section == *section ? "the inputs, outputs, device or time zone" : "its section");
      slots_.erase(old);
    }
    auto uc = config::parse_uploader(key, *section);
    if (uc) {
      upload::UploadEnvironment env{&records_,
                                    [this] {
                                      auto t = logs_.current().last_time();
                                      return t ? t : logs_.history().last_time();
                                    },
                                    data_dir_, measurements};
      auto runner = upload::start_http_uploader(uc.value(), config, env);
      if (runner)
        slot.runner = std::move(runner.value());
      else
        slot.error = runner.error();
    } else {
      slot.error = uc.error();
    }
    if (!slot.error.empty()) spdlog::error("upload {}: not started: {}", key, slot.error);
    next[key] = std::move(slot);
  }
  for (auto& [key, slot] : slots_) {
    if (slot.runner) {
      slot.runner->stop();
      spdlog::info("upload {}: removed from the config, stopped", key);
    }
  }
  slots_ = std::move(next);
}

void UploadService::stop() {
  std::lock_guard lock(mu_);
  for (auto& [key, slot] : slots_) {
    if (slot.runner) slot.runner->stop();
  }
}

std::vector<server::UploaderEntry> UploadService::status() const {
  std::vector<server::UploaderEntry> out;
  std::lock_guard lock(mu_);
  for (const auto& [key, slot] : slots_) {
    server::UploaderEntry e;
    e.name = key;
    e.type = slot.type;
    if (!slot.runner) {
      e.state = "invalid";
      e.last_error = slot.error;
    } else {
      const upload::UploaderStatus s = slot.runner->status();
      e.state = upload::to_string(s.state);
      e.last_post = s.last_sent.value_or(0);
      e.backlog_s = s.backlog_s;
      e.backlog_intervals = s.backlog_intervals;
      e.last_error = s.last_error;
    }
    out.push_back(std::move(e));
  }
  return out;
}

Status check_uploaders(const config::Config& config) {
  for (std::string_view key : config::kHttpUploaderKeys) {
    const nlohmann::json* section = config.section(std::string(key));
    if (!section) continue;
    auto uc = config::parse_uploader(key, *section);
    if (!uc) return uc.status();
    if (Status s = upload::check_http_uploader(uc.value(), config); !s) return s;
  }
  return Status::Ok();
}

std::string test_uploader_json(const std::string& body, const config::Config& config) {
  nlohmann::json answer{{"ok", false}, {"message", ""}, {"last_point", nullptr}};
  const JsonRead read = read_json(body);
  if (!read.ok()) {
    answer["message"] = "the body is not JSON: " + read.error->message();
    return answer.dump();
  }
  const nlohmann::json& doc = read.value;
  if (!doc.is_object()) {
    answer["message"] = "the body is not a JSON object (one uploader config with its \"type\")";
    return answer.dump();
  }
  const std::string type = doc.contains("type") && doc["type"].is_string() ? doc["type"].get<std::string>() : "";
  if (type.empty()) {
    answer["message"] = "\"type\" is missing (influxdb, influxdb2, emoncms or pvoutput)";
    return answer.dump();
  }
  auto uc = config::parse_uploader(type, doc);
  if (!uc) {
    answer["message"] = uc.error();
    return answer.dump();
  }
  const auto t = upload::test_connection(uc.value(), config);
  if (!t) {
    answer["message"] = t.error();
    return answer.dump();
  }
  answer["ok"] = true;
  answer["message"] = t->message;
  if (t->last_point) answer["last_point"] = *t->last_point;
  return answer.dump();
}

}  // namespace iw::app
