// Breaks the example configs on purpose, one value at a time: every mutation must give
// either a Config that round-trips exactly or an error that names a key path; never a
// crash, an exception or an empty message.
#include <gtest/gtest.h>

#include "config/config_parser.h"
#include "config/config_writer.h"
#include "test_data.h"

namespace iw::config {
namespace {

using nlohmann::json;

void check_document(const json& doc, const std::string& what) {
  Result<Config> r = [&] {
    try {
      return parse_config(doc, ModelCatalog::builtin());
    } catch (const std::exception& e) {
      ADD_FAILURE() << what << ": exception " << e.what();
      return Result<Config>(Status::InvalidArgument("exception"));
    }
  }();
  if (!r.ok()) {
    EXPECT_FALSE(r.error().empty()) << what;
    EXPECT_NE(r.error().find(": "), std::string::npos) << what << ": " << r.error();
    return;
  }
  Result<Config> again = parse_config(serialize(r.value()), ModelCatalog::builtin());
  ASSERT_TRUE(again.ok()) << what << ": the serialized form was rejected: " << again.error();
  EXPECT_TRUE(again.value() == r.value()) << what;
}

class Mutations : public ::testing::TestWithParam<std::string> {};

TEST_P(Mutations, EveryLeafReplacedOrRemoved) {
  const json original = json::parse(testing::read_data(GetParam()), nullptr, true, true);
  const json flat = original.flatten();
  const std::vector<json> replacements = {nullptr, "x", "7", -1, 0, 1e300, true, json::array(), json::object()};
  for (const auto& [pointer, value] : flat.items()) {
    const json::json_pointer ptr(pointer);
    for (const json& replacement : replacements) {
      json doc = original;
      doc[ptr] = replacement;
      check_document(doc, pointer + " = " + replacement.dump());
    }
    json doc = original;
    json& parent = doc[ptr.parent_pointer()];
    if (parent.is_object()) {
      parent.erase(ptr.back());
      check_document(doc, pointer + " removed");
    }
  }
}

TEST_P(Mutations, EveryTopLevelSectionReplaced) {
  const json original = json::parse(testing::read_data(GetParam()), nullptr, true, true);
  for (const auto& [key, value] : original.items()) {
    for (const json& replacement : {json(nullptr), json("x"), json(3), json::array(), json::object()}) {
      json doc = original;
      doc[key] = replacement;
      check_document(doc, key + " = " + replacement.dump());
    }
  }
}

std::string mutation_name(const ::testing::TestParamInfo<std::string>& param_info) {
  return param_info.param.substr(0, param_info.param.find('.'));
}

INSTANTIATE_TEST_SUITE_P(Config, Mutations, ::testing::Values("us_120v.json", "eu_230v.json", "derived_3ph.json"),
                         mutation_name);

}  // namespace
}  // namespace iw::config
