// The San Luis Obispo call-log importer over an arbitrary file: times of the
// minute without a date of their own, beats created on first sight, calls
// repeated across logs. import_support.h states what is checked.

#include <cstddef>
#include <cstdint>

#include "import_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  pingan::fuzz::fuzz_import("slo", "SLOPD_report.csv", pingan::fuzz::as_text(data, size));
  return 0;
}
