// Which program runs when `iotawatt run` starts: the packaged one, or the version the updater
// switched to. The packaged program is the launcher: it decides, and when a slot's version is
// to run it hands over to that binary (exec). This is where a version that never became
// healthy is rolled back: a trial that was launched too often or outlived its deadline.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "update/slots.h"
#include "update/update_state.h"

namespace iw::update {

struct TrialLimits {
  int max_launches = 3;  // a version that crashed or hung this often is rolled back, and so is
                         // one started after its trial's deadline (Trial::deadline_s)
};

struct LaunchPlan {
  std::optional<ReleaseVersion> slot;  // run this slot's binary; nullopt: the packaged program
  bool trial = false;                  // the version must report healthy (confirm_healthy)
  std::string rolled_back;             // set when this start rolled a version back: why
};

// Decides, and records in `state` (launch count, rollback, history) what it decided; the
// caller saves the state before it execs. A slot older than or equal to the package (the
// package was upgraded past it) is not run: the package is newer.
LaunchPlan plan_launch(SlotStore& slots, UpdateState& state, const ReleaseVersion& package_version, int64_t now,
                       const TrialLimits& limits = {});

// The version on trial reported healthy: the trial ends and the previous slots are pruned.
void confirm_healthy(SlotStore& slots, UpdateState& state, int64_t now);

// A version failed while running (its health deadline passed): back to the previous one.
// Returns the message for the log.
std::string roll_back(SlotStore& slots, UpdateState& state, int64_t now, const std::string& reason);

}  // namespace iw::update
