#include "update/launch.h"

#include <algorithm>

namespace iw::update {
namespace {

std::string version_text(const std::optional<ReleaseVersion>& v) { return v ? v->to_string() : "the package"; }

}  // namespace

std::string roll_back(SlotStore& slots, UpdateState& state, int64_t now, const std::string& reason) {
  const std::optional<ReleaseVersion> failed = slots.current(), back = slots.previous();
  std::string message = "update: " + version_text(failed) + " rolled back to " + version_text(back) + ": " + reason;
  if (Status st = slots.roll_back(); !st) message += " (the switch back failed: " + st.message() + ")";
  if (failed && std::find(state.bad.begin(), state.bad.end(), *failed) == state.bad.end()) {
    state.bad.push_back(*failed);
  }
  state.trial.reset();
  state.record({now, version_text(failed), version_text(back), "rolled back", reason});
  return message;
}

LaunchPlan plan_launch(SlotStore& slots, UpdateState& state, const ReleaseVersion& package_version, int64_t now,
                       const TrialLimits& limits) {
  LaunchPlan plan;
  std::optional<ReleaseVersion> current = slots.current();
  if (state.trial && current != state.trial->version) state.trial.reset();  // the switch never happened
  if (state.trial) {
    ++state.trial->launches;
    if (state.trial->launches > limits.max_launches) {
      plan.rolled_back = roll_back(slots, state, now,
                                   "it did not report healthy in " + std::to_string(limits.max_launches) + " starts");
    } else if (now - state.trial->started > state.trial->deadline_s) {
      plan.rolled_back =
          roll_back(slots, state, now,
                    "it did not report healthy within " + std::to_string(state.trial->deadline_s) + " s of the switch");
    }
    current = slots.current();
  }
  if (current && package_version < *current) {
    plan.slot = current;
    plan.trial = state.trial.has_value();
  } else {
    state.trial.reset();  // the package was upgraded past the slot: nothing is on trial
  }
  return plan;
}

void confirm_healthy(SlotStore& slots, UpdateState& state, int64_t now) {
  if (!state.trial) return;
  state.record({now, version_text(slots.previous()), state.trial->version.to_string(), "healthy", ""});
  state.trial.reset();
  slots.prune();
}

}  // namespace iw::update
