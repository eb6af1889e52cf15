// libFuzzer target: arbitrary bytes as an update server's manifest file, and as a manifest
// body. open_manifest and parse_manifest_body must never crash, hang or trip a sanitizer; a
// body they accept must be written back by manifest_body to a text that reads as the same
// manifest. The fuzzer cannot sign: only the seed signed with the key below (whose private
// half was thrown away) opens, and then only while its signed bytes are untouched.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "update/manifest.h"

namespace {

constexpr const char* kSeedKey = "7ab53aecb5356392a184c63a07bd11d1b205e368b9189cbe1c5f21e2001879f9";
constexpr int64_t kNow = 1800000000;  // 2027-01-15: after the seed was signed, before it expires

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "update_manifest_fuzz: %s\n%.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// A body that was accepted reads back, once written, as the same manifest.
void check_round_trip(const iw::update::Manifest& m) {
  const std::string text = iw::update::manifest_body(m);
  auto again = iw::update::parse_manifest_body(text);
  if (!again.ok()) fail("a written manifest does not read back", again.error());
  if (iw::update::manifest_body(again.value()) != text) fail("a manifest changed on its round trip", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (auto m = iw::update::open_manifest(bytes, {kSeedKey}, kNow); m.ok()) check_round_trip(m.value());
  if (auto m = iw::update::parse_manifest_body(bytes); m.ok()) check_round_trip(m.value());
  return 0;
}
