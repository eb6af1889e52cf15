// The "outputs" and "integrators" sections: lists of named scripts. Internal to src/config
// (the parser and the writer); src/calc compiles the scripts.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/json_reader.h"

namespace iw::config::detail {

enum class ScriptList { kOutputs, kIntegrators };

// Reads `v` (the section under `key`) into script definitions. Each entry is an object with
// "name", optional "units", and exactly one of "script" (original syntax) or "expr"
// (readable syntax). Names must be unique in the list, and output names must differ from
// every input name (a query or a script could not tell them apart). Problems name the key path.
struct ScriptText {
  std::string text;
  ScriptSyntax syntax = ScriptSyntax::kOriginal;
};

// The one reader of a script in any list (outputs, integrators, uploader measurements): the
// object `r` holds exactly one of "script" (original syntax) or "expr" (readable syntax), not
// empty. Problems name `path`; one that has neither (nor a key of another type, reported as
// such) is reported only when `report_missing`.
std::optional<ScriptText> read_script_text(ObjectReader& r, const std::string& path, Problems& problems,
                                           bool report_missing = true);

std::vector<ScriptDef> read_script_defs(const json& v, ScriptList list, const std::vector<std::optional<Input>>& inputs,
                                        Problems& problems);

json script_defs_json(const std::vector<ScriptDef>& defs);

}  // namespace iw::config::detail
