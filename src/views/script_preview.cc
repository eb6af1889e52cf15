#include "views/script_preview.h"

#include <nlohmann/json.hpp>

#include "base/json_read.h"
#include "calc/live_operands.h"
#include "calc/value.h"

namespace iw::views {
namespace {

using nlohmann::json;

server::HttpResponse refuse(const std::string& why) {
  return server::HttpResponse::json(json{{"error", why}}.dump(-1, ' ', false, json::error_handler_t::replace), 400);
}

const std::string* string_member(const json& doc, const char* key) {
  const auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

}  // namespace

server::HttpResponse script_preview(const std::string& body, const config::Config& config,
                                    const calc::Calculator& calculator,
                                    const std::vector<measure::ChannelValues>& live) {
  const JsonRead read = read_json(body);
  if (!read.ok()) return refuse("the body is not JSON: " + read.error->message());
  const json& doc = read.value;
  if (!doc.is_object()) return refuse("the body is not a JSON object like {\"expr\": \"main_1 + main_2\"}");
  const std::string* expr = string_member(doc, "expr");
  const std::string* script = string_member(doc, "script");
  if ((expr == nullptr) == (script == nullptr)) {
    return refuse("give one of \"expr\" (readable syntax) or \"script\" (the original's syntax), as a string");
  }
  calc::Unit unit = calc::Unit::kWatts;
  if (const std::string* units = string_member(doc, "units"); units != nullptr && !units->empty()) {
    const auto parsed = calc::parse_unit_name(*units);
    if (!parsed)
      return refuse("units: \"" + *units + "\" is not Watts, Volts, Amps, VA, VAh, Hz, Wh, kWh, PF, VAR or VARh");
    unit = *parsed;
  }
  auto compiled = calc::Calculator::CompileOne(
      config, expr ? *expr : *script, expr ? config::ScriptSyntax::kReadable : config::ScriptSyntax::kOriginal);
  if (!compiled) return refuse(compiled.error());
  const calc::LiveOperands operands(calculator, live);
  const double value = calc::value_of(compiled.value(), unit, operands);
  return server::HttpResponse::json(json{{"value", value}, {"units", std::string(calc::unit_name(unit))}}.dump());
}

}  // namespace iw::views
