// Config -> config.txt JSON, in the schema config_parser.h accepts.
//
// Round trip: parse_config(serialize(c, catalog), catalog) == c for every c that
// parse_config produced with `catalog` (the daemon's is ModelCatalog::builtin()).
// Effective values are written back in the form the original UI writes them: `cal` as
// computed (turns/burden), `vmult` without the x2 of `double`, the static `phase` copied
// from the catalog. An input's `p50`/`p60` are written only when they differ from its
// model's tables (a generic or calibrated sensor); a catalog sensor's come from the catalog.
// Verbatim sections and unknown keys are written back unchanged. Key order is JSON-object
// order (sorted), as nlohmann::json keeps it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "config/config.h"
#include "config/model_catalog.h"

namespace iw::config {

nlohmann::json serialize(const Config& config, const ModelCatalog& catalog = ModelCatalog::builtin());
// serialize() as text, indented by `indent` spaces, with a final newline.
std::string serialize_text(const Config& config, int indent = 2, const ModelCatalog& catalog = ModelCatalog::builtin());

}  // namespace iw::config
