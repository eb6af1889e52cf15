#include "base/status.h"

#include <gtest/gtest.h>

#include <string>

namespace iw {
namespace {

TEST(StatusTest, OkHasNoKindAndNoMessage) {
  const Status s = Status::Ok();
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE(s);
  EXPECT_EQ(s.code(), Status::Code::kOk);
  EXPECT_FALSE(s.IsNotFound() || s.IsEnd() || s.IsCorruption() || s.IsIOError() || s.IsInvalidArgument() ||
               s.IsUnavailable());
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_TRUE(Status().ok());
}

// Each factory sets its kind and only its kind; the message is kept exactly as given (tests and
// users compare it), and ToString adds the kind in front.
TEST(StatusTest, EachKindKeepsItsMessage) {
  struct Case {
    Status status;
    bool (Status::*is)() const;
    const char* name;
  };
  const Case cases[] = {
      {Status::NotFound("m"), &Status::IsNotFound, "NotFound"},
      {Status::End("m"), &Status::IsEnd, "End"},
      {Status::Corruption("m"), &Status::IsCorruption, "Corruption"},
      {Status::IOError("m"), &Status::IsIOError, "IOError"},
      {Status::InvalidArgument("m"), &Status::IsInvalidArgument, "InvalidArgument"},
      {Status::Unavailable("m"), &Status::IsUnavailable, "Unavailable"},
  };
  for (const Case& c : cases) {
    EXPECT_FALSE(c.status.ok()) << c.name;
    EXPECT_FALSE(c.status) << c.name;
    EXPECT_EQ(c.status.message(), "m") << c.name;
    EXPECT_EQ(c.status.ToString(), std::string(c.name) + ": m");
    int kinds = 0;
    for (const Case& other : cases) kinds += (c.status.*other.is)() ? 1 : 0;
    EXPECT_EQ(kinds, 1) << c.name;
    EXPECT_TRUE((c.status.*c.is)()) << c.name;
  }
}

TEST(StatusTest, ResultCarriesValueOrStatus) {
  Result<int> value = 7;
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value.value(), 7);
  Result<int> error = Status::Corruption("bad magic");
  ASSERT_FALSE(error.ok());
  EXPECT_TRUE(error.status().IsCorruption());
  EXPECT_EQ(error.error(), "bad magic");
}

}  // namespace
}  // namespace iw
