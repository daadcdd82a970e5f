#include "core/person.h"

#include <gtest/gtest.h>

#include "core/id_number.h"
#include "core/id_number_facts.h"

namespace pingan {
namespace {

constexpr Timestamp kNow = 1'717'200'000;  // 2024-06-01T00:00:00Z

// A number with its correct check character.
std::string with_check(const std::string& first17) { return first17 + id_number_check_char(first17); }

TEST(PersonId, TheChecksumIsThatOfGb11643) {
  // The standard's own example ends in X.
  EXPECT_TRUE(check_id_number("id_number", "11010519491231002X").ok());
  auto wrong = check_id_number("id_number", "110105194912310021");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().field, "id_number");
  EXPECT_NE(wrong.error().message.find("check character"), std::string::npos);
  // Reading a date from a number that fails its check is refused, not guessed.
  auto date = birth_date_of_id("110105194912310021");
  ASSERT_FALSE(date.ok());
  EXPECT_EQ(date.error().field, "id_number");
  EXPECT_FALSE(sex_of_id("110105194912310021", "suspect.id_number").ok());
  EXPECT_EQ(sex_of_id("110105194912310021", "suspect.id_number").error().field, "suspect.id_number");
}

TEST(PersonId, TheXCheckDigitIsAcceptedInEitherCaseAndNormalisedToUpper) {
  auto upper = birth_date_of_id("11010519491231002X");
  auto lower = birth_date_of_id(" 11010519491231002x ");
  ASSERT_TRUE(upper.ok());
  ASSERT_TRUE(lower.ok()) << lower.error().describe();
  EXPECT_EQ(*upper, (CivilDate{1949, 12, 31}));
  EXPECT_EQ(*lower, *upper);
  Person p;
  p.name = "王芳";
  p.id_number = "11010519491231002x";
  ASSERT_TRUE(validate_person(p, kNow).ok());
  EXPECT_EQ(p.id_number, "11010519491231002X");
  EXPECT_EQ(person_match_key(p), "11010519491231002X");
  // Digit 17 is 2: even, a woman.
  EXPECT_EQ(p.sex, Sex::kFemale);
  EXPECT_EQ(p.birth_date, (CivilDate{1949, 12, 31}));
}

TEST(PersonId, BirthDatesAndSexComeFromTheNumber) {
  auto d = birth_date_of_id("370102199001011231");  // a valid number of 1 January 1990
  ASSERT_TRUE(d.ok()) << d.error().describe();
  EXPECT_EQ(format_date(*d), "1990-01-01");
  EXPECT_EQ(*sex_of_id("370102199001011231"), Sex::kMale);  // digit 17 is 3
  EXPECT_EQ(*sex_of_id(with_check("37010219900101124")), Sex::kFemale);
  EXPECT_STREQ(sex_name_zh(Sex::kMale), "男");
}

TEST(PersonId, TwentyNinthOfFebruaryOnlyInALeapYear) {
  // 2000 is a leap year (divisible by 400): 29 February exists.
  auto leap = birth_date_of_id(with_check("11010520000229001"));
  ASSERT_TRUE(leap.ok()) << leap.error().describe();
  EXPECT_EQ(*leap, (CivilDate{2000, 2, 29}));
  EXPECT_EQ(*sex_of_id(with_check("11010520000229001")), Sex::kMale);
  EXPECT_TRUE(birth_date_of_id(with_check("11010519880229002")).ok());  // 1988 is a leap year
  // The check character is right, the date is not: refused naming the field and the date.
  for (const char* first17 : {"11010519990229001",   // 1999 is not a leap year
                              "11010519000229001",   // 1900 is not either (divisible by 100)
                              "11010519990230001",   // no 30 February ever
                              "11010519991301001",   // no month 13
                              "11010519990400001"})  // no day 0
  {
    std::string id = with_check(first17);
    ASSERT_TRUE(check_id_number("id_number", id).ok()) << id;
    auto d = birth_date_of_id(id);
    ASSERT_FALSE(d.ok()) << id;
    EXPECT_EQ(d.error().field, "id_number");
    EXPECT_NE(d.error().message.find(std::string(first17).substr(6, 8)), std::string::npos) << d.error().message;
    EXPECT_NE(d.error().message.find("not a day of the calendar"), std::string::npos);
    EXPECT_FALSE(sex_of_id(id).ok()) << id;
  }
}

TEST(PersonId, BirthsBefore1900OrInTheFutureAreRefused) {
  auto old = birth_date_of_id(with_check("11010518991231001"));
  ASSERT_FALSE(old.ok());
  EXPECT_NE(old.error().message.find("before 1900"), std::string::npos);
  Person p;
  p.name = "未来";
  p.id_number = with_check("11010520991231001");
  Status s = validate_person(p, kNow);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "id_number");
  EXPECT_NE(s.error().message.find("in the future"), std::string::npos);
}

TEST(PersonRecord, ValidationFillsTheDerivedFieldsAndNamesBadOnes) {
  Person p;
  p.name = "张三";
  p.id_number = "370102199001011231";
  p.phone = "138-1234-5678";
  p.birth_date = CivilDate{2001, 1, 1};  // given wrongly: the number is the source
  ASSERT_TRUE(validate_person(p, kNow).ok());
  EXPECT_EQ(p.birth_date, (CivilDate{1990, 1, 1}));
  EXPECT_EQ(p.sex, Sex::kMale);

  Person no_number;
  no_number.name = "李四";
  no_number.birth_date = CivilDate{2001, 1, 1};
  ASSERT_TRUE(validate_person(no_number, kNow).ok());
  EXPECT_FALSE(no_number.birth_date.has_value());
  EXPECT_EQ(person_match_key(no_number), "") << "a person without a number is never merged";

  struct Bad {
    const char* what;
    Person person;
    const char* field;
  } bad[] = {
      {"no name", Person{0, " ", "", "", "", {}, {}}, "name"},
      {"letters in the phone", Person{0, "张三", "", "138abc", "", {}, {}}, "phone"},
      {"a short number", Person{0, "张三", "37010219900101123", "", "", {}, {}}, "id_number"},
      {"a wrong check character", Person{0, "张三", "370102199001011234", "", "", {}, {}}, "id_number"},
  };
  for (Bad& b : bad) {
    Status s = validate_person(b.person, kNow);
    ASSERT_FALSE(s.ok()) << b.what;
    EXPECT_EQ(s.error().field, b.field) << b.what << ": " << s.error().describe();
  }
}

TEST(PersonRecord, OnePersonAcrossCasesIsOneKey) {
  // The same number typed three ways in three cases is one person.
  Person a, b, c;
  a.name = b.name = c.name = "王芳";
  a.id_number = "11010519491231002X";
  b.id_number = "11010519491231002x";
  c.id_number = " 11010519491231002X\t";
  for (Person* p : {&a, &b, &c}) ASSERT_TRUE(validate_person(*p, kNow).ok());
  EXPECT_EQ(person_match_key(a), person_match_key(b));
  EXPECT_EQ(person_match_key(a), person_match_key(c));
}

TEST(PersonRecord, RolesAndCaseParties) {
  for (PersonRole r : kAllPersonRoles) {
    auto back = parse_person_role(person_role_name(r));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, r);
  }
  EXPECT_STREQ(person_role_name_zh(PersonRole::kVictim), "被害人");
  EXPECT_EQ(parse_person_role("accomplice").error().field, "role");
  CaseParty party{7, 9, PersonRole::kSuspect, kNow, "刑警 李明"};
  EXPECT_TRUE(validate_case_party(party, kNow).ok());
  party.actor = "";
  EXPECT_EQ(validate_case_party(party, kNow).error().field, "actor");
  party.actor = "刑警 李明";
  party.person_id = 0;
  EXPECT_EQ(validate_case_party(party, kNow).error().field, "person_id");
}

}  // namespace
}  // namespace pingan
