#include "core/visit_reconcile.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace pingan {
namespace {

using Idx = std::vector<std::size_t>;

VisitPerson person(PersonId id, std::string key, std::string name, std::string phone) {
  return {id, std::move(key), std::move(name), std::move(phone)};
}

// Every listed and seen index lands in exactly one outcome.
void expect_partition(const VisitReconciliation& r, std::size_t listed, std::size_t seen) {
  std::multiset<std::size_t> l, s;
  for (const FoundPerson& f : r.found) l.insert(f.listed), s.insert(f.seen);
  for (std::size_t i : r.left) l.insert(i);
  for (std::size_t j : r.new_people) s.insert(j);
  for (const VisitAmbiguity& a : r.ambiguous) {
    l.insert(a.listed.begin(), a.listed.end());
    s.insert(a.seen.begin(), a.seen.end());
  }
  std::multiset<std::size_t> all_l, all_s;
  for (std::size_t i = 0; i < listed; ++i) all_l.insert(i);
  for (std::size_t j = 0; j < seen; ++j) all_s.insert(j);
  EXPECT_EQ(l, all_l);
  EXPECT_EQ(s, all_s);
}

TEST(VisitReconcile, FoundNewAndLeft) {
  // The registry lists three tenants; the officer finds two of them and a
  // newcomer.
  const std::vector<VisitPerson> listed = {person(1, "k-zhang", "张三", "13800000001"),
                                           person(2, "k-li", "李四", "13800000002"),
                                           person(3, "k-wang", "王五", "13800000003")};
  const std::vector<VisitPerson> seen = {person(0, "k-zhao", "赵六", "13900000004"),
                                         person(0, "k-li", "李四", "13800000002"),
                                         person(0, "k-zhang", "张三", "")};
  VisitReconciliation r = reconcile_visit(listed, seen);
  EXPECT_EQ(r.found, (std::vector<FoundPerson>{{0, 2, MatchBasis::kIdKey}, {1, 1, MatchBasis::kIdKey}}));
  EXPECT_EQ(r.new_people, (Idx{0}));
  EXPECT_EQ(r.left, (Idx{2}));
  EXPECT_TRUE(r.ambiguous.empty());
  expect_partition(r, listed.size(), seen.size());
}

TEST(VisitReconcile, TheIdHashMatchesThoughTheNameIsWrittenDifferently) {
  // A transliterated name with another dot, a typo, a different phone: the
  // ID hash is the identity.
  const std::vector<VisitPerson> listed = {person(7, "k-maimaiti", "买买提·艾力", "13800000007"),
                                           person(8, "k-chen", "陈晨", "13800000008")};
  const std::vector<VisitPerson> seen = {person(0, "k-chen", "陈辰", "13999999999"),
                                         person(0, "k-maimaiti", "买买提.艾力", "")};
  VisitReconciliation r = reconcile_visit(listed, seen);
  EXPECT_EQ(r.found, (std::vector<FoundPerson>{{0, 1, MatchBasis::kIdKey}, {1, 0, MatchBasis::kIdKey}}));
  EXPECT_TRUE(r.new_people.empty());
  EXPECT_TRUE(r.left.empty());
}

TEST(VisitReconcile, DifferentHashesAreTwoPeopleWhateverTheirNames) {
  const std::vector<VisitPerson> listed = {person(1, "k-a", "张伟", "13800000001")};
  const std::vector<VisitPerson> seen = {person(0, "k-b", "张伟", "13800000001")};
  VisitReconciliation r = reconcile_visit(listed, seen);
  EXPECT_TRUE(r.found.empty());
  EXPECT_EQ(r.new_people, (Idx{0}));
  EXPECT_EQ(r.left, (Idx{0}));
}

TEST(VisitReconcile, WithoutAHashNameAndPhoneMatch) {
  // The registry entry has no ID number; the visit read the card. Blanks,
  // a full-width space, a country code and separators do not matter.
  const std::vector<VisitPerson> listed = {person(4, "", "欧阳 娜娜", "+86 138-0000-0004"),
                                           person(5, "", "Li Lei", "13800000005")};
  const std::vector<VisitPerson> seen = {person(0, "k-ouyang", "欧阳\u3000娜娜", "13800000004"),
                                         person(0, "", "LI LEI", "13800000006")};  // another phone: another person
  VisitReconciliation r = reconcile_visit(listed, seen);
  EXPECT_EQ(r.found, (std::vector<FoundPerson>{{0, 0, MatchBasis::kNamePhone}}));
  EXPECT_EQ(r.new_people, (Idx{1}));
  EXPECT_EQ(r.left, (Idx{1}));
  EXPECT_TRUE(r.ambiguous.empty());
}

TEST(VisitReconcile, AnAmbiguousNameMatchIsReportedNotGuessed) {
  // Two listed 李强 share the house's phone; one 李强 was seen with it.
  const std::vector<VisitPerson> listed = {person(1, "", "李强", "13800000001"),
                                           person(2, "", "李强", "13800000001"),
                                           person(3, "k-x", "周八", "13800000003")};
  const std::vector<VisitPerson> seen = {person(0, "", "李强", "13800000001"), person(0, "k-x", "周八", "")};
  VisitReconciliation r = reconcile_visit(listed, seen);
  EXPECT_EQ(r.found, (std::vector<FoundPerson>{{2, 1, MatchBasis::kIdKey}}));
  ASSERT_EQ(r.ambiguous.size(), 1u);
  EXPECT_EQ(r.ambiguous[0].reason, AmbiguityReason::kSeveralMatches);
  EXPECT_EQ(r.ambiguous[0].listed, (Idx{0, 1}));
  EXPECT_EQ(r.ambiguous[0].seen, (Idx{0}));
  EXPECT_TRUE(r.left.empty()) << "the unmatched 李强 is in the ambiguity, not counted as left";
  EXPECT_TRUE(r.new_people.empty());
  expect_partition(r, listed.size(), seen.size());
  EXPECT_STREQ(ambiguity_reason_zh(r.ambiguous[0].reason), "姓名和电话对应多人");
}

TEST(VisitReconcile, EqualNamesWithoutAPhoneAreReported) {
  const std::vector<VisitPerson> listed = {person(1, "", "王芳", "")};
  const std::vector<VisitPerson> seen = {person(0, "", "王芳", "13800000009")};
  VisitReconciliation r = reconcile_visit(listed, seen);
  EXPECT_TRUE(r.found.empty());
  ASSERT_EQ(r.ambiguous.size(), 1u);
  EXPECT_EQ(r.ambiguous[0].reason, AmbiguityReason::kNameWithoutPhone);
  expect_partition(r, 1, 1);
}

TEST(VisitReconcile, OneHashTwiceIsReported) {
  // The registry holds the same card on two entries (a duplicate to merge).
  const std::vector<VisitPerson> listed = {person(1, "k-dup", "刘一", "1"), person(2, "k-dup", "刘一", "1")};
  const std::vector<VisitPerson> seen = {person(0, "k-dup", "刘一", "1")};
  VisitReconciliation r = reconcile_visit(listed, seen);
  ASSERT_EQ(r.ambiguous.size(), 1u);
  EXPECT_EQ(r.ambiguous[0].reason, AmbiguityReason::kSharedIdKey);
  EXPECT_EQ(r.ambiguous[0].listed, (Idx{0, 1}));
  EXPECT_EQ(r.ambiguous[0].seen, (Idx{0}));
  EXPECT_TRUE(r.found.empty());
}

TEST(VisitReconcile, EmptySidesAndNamesNormalise) {
  const std::vector<VisitPerson> some = {person(1, "k", "甲", "1"), person(2, "", "乙", "")};
  VisitReconciliation nobody_home = reconcile_visit(some, {});
  EXPECT_EQ(nobody_home.left, (Idx{0, 1}));
  VisitReconciliation unlisted = reconcile_visit({}, some);
  EXPECT_EQ(unlisted.new_people, (Idx{0, 1}));
  EXPECT_EQ(normalise_person_name(" 阿卜杜拉・买买提 "), "阿卜杜拉·买买提");
  EXPECT_EQ(normalise_person_name("ｌｉ lei"), "LILEI");
  EXPECT_EQ(normalise_person_name("\xFF a"), "\xFF" "a");  // invalid UTF-8: blanks only
}

TEST(VisitReconcile, RandomVisitsArePartitionedAndHashesAlwaysWin) {
  // Random addresses: people drawn from a small pool of names and phones so
  // that collisions happen; the outcome always partitions both sides, and a
  // person whose hash appears once on each side is always found by it.
  std::mt19937 rng(21);
  const std::vector<std::string> names = {"张伟", "王芳", "李强", "刘洋"};
  for (int round = 0; round < 500; ++round) {
    std::vector<VisitPerson> listed, seen;
    const int nl = int(rng() % 6), ns = int(rng() % 6);
    auto make = [&](PersonId id) {
      std::string key = rng() % 3 ? "k" + std::to_string(rng() % 8) : "";
      std::string phone = rng() % 4 ? "1380000000" + std::to_string(rng() % 3) : "";
      return person(id, key, names[rng() % names.size()], phone);
    };
    for (int i = 0; i < nl; ++i) listed.push_back(make(i + 1));
    for (int j = 0; j < ns; ++j) seen.push_back(make(0));
    VisitReconciliation r = reconcile_visit(listed, seen);
    expect_partition(r, listed.size(), seen.size());
    for (std::size_t i = 0; i < listed.size(); ++i) {
      if (listed[i].id_key.empty()) continue;
      std::size_t in_listed = 0, in_seen = 0, seen_at = 0;
      for (const auto& l : listed) in_listed += l.id_key == listed[i].id_key;
      for (std::size_t j = 0; j < seen.size(); ++j)
        if (seen[j].id_key == listed[i].id_key) ++in_seen, seen_at = j;
      if (in_listed == 1 && in_seen == 1) {
        EXPECT_NE(std::find(r.found.begin(), r.found.end(), FoundPerson{i, seen_at, MatchBasis::kIdKey}), r.found.end());
      }
    }
    for (const FoundPerson& f : r.found) {
      if (f.basis != MatchBasis::kNamePhone) continue;
      EXPECT_FALSE(!listed[f.listed].id_key.empty() && !seen[f.seen].id_key.empty());
      EXPECT_EQ(listed[f.listed].name, seen[f.seen].name);
      EXPECT_EQ(listed[f.listed].phone, seen[f.seen].phone);
      EXPECT_FALSE(listed[f.listed].phone.empty());
    }
  }
}

}  // namespace
}  // namespace pingan
