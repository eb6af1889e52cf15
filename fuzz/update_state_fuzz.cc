// libFuzzer target: arbitrary bytes as the updater's state file (<data>/update/state.json).
// parse_update_state must never crash, hang or trip a sanitizer; a state it accepts is written
// back by update_state_text to a text that reads as the same state.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "update/update_state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto state = iw::update::parse_update_state(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!state.ok()) return 0;
  const std::string text = iw::update::update_state_text(state.value());
  auto again = iw::update::parse_update_state(text);
  if (!again.ok() || iw::update::update_state_text(again.value()) != text) {
    std::fprintf(stderr, "update_state_fuzz: a written state does not read back the same\n%s\n", text.c_str());
    std::abort();
  }
  return 0;
}
