#include "server/auth/logged_in_nonces.h"

#include <gtest/gtest.h>

namespace iw::server {
namespace {

using Use = LoggedInNonces::Use;

TEST(LoggedInNonces, NcWindowAsTheOriginal) {
  LoggedInNonces n(8);
  EXPECT_EQ(n.use("a", 1, 1, 0), Use::kAccepted);
  EXPECT_EQ(n.use("a", 1, 1, 0), Use::kReplayed);
  EXPECT_EQ(n.use("a", 1, 3, 0), Use::kAccepted);
  EXPECT_EQ(n.use("a", 1, 2, 0), Use::kAccepted);  // out of order
  EXPECT_EQ(n.use("a", 1, 5, 0), Use::kAccepted);
  EXPECT_EQ(n.use("a", 1, 4, 0), Use::kAccepted);
  EXPECT_EQ(n.use("a", 1, 1, 0), Use::kReplayed);  // below the window
}

TEST(LoggedInNonces, FullTableForgetsTheFirstIssuedAndRefusesIt) {
  LoggedInNonces n(2);
  EXPECT_EQ(n.use("a", 10, 1, 0), Use::kAccepted);
  EXPECT_EQ(n.use("b", 11, 1, 0), Use::kAccepted);
  EXPECT_EQ(n.use("c", 12, 1, 0), Use::kAccepted);
  EXPECT_EQ(n.size(), 2u);
  EXPECT_EQ(n.use("a", 10, 2, 0), Use::kForgotten);  // its nc history is gone
  EXPECT_EQ(n.use("z", 10, 1, 0), Use::kForgotten);  // issued no later than a forgotten one
  EXPECT_EQ(n.use("b", 11, 2, 0), Use::kAccepted);
  EXPECT_EQ(n.use("d", 13, 1, 0), Use::kAccepted);
}

TEST(LoggedInNonces, ExpiredNoncesMakeRoomFirst) {
  LoggedInNonces n(2);
  EXPECT_EQ(n.use("old", 1, 1, 0), Use::kAccepted);
  EXPECT_EQ(n.use("b", 50, 1, 0), Use::kAccepted);
  EXPECT_EQ(n.use("c", 60, 1, /*oldest_valid=*/40), Use::kAccepted);
  EXPECT_EQ(n.size(), 2u);
  EXPECT_EQ(n.use("b", 50, 2, 40), Use::kAccepted);  // b stayed: the expired nonce made room
}

}  // namespace
}  // namespace iw::server
