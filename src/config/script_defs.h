// The "outputs" and "integrators" sections: lists of named scripts. Internal to src/config
// (the parser and the writer); src/calc compiles the scripts.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
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
std::vector<ScriptDef> read_script_defs(const json& v, ScriptList list, const std::vector<std::optional<Input>>& inputs,
                                        Problems& problems);

json script_defs_json(const std::vector<ScriptDef>& defs);

}  // namespace iw::config::detail
