// libFuzzer's driver, for fuzz targets that have their own main (SwiftPM renames an
// executable's main, so libFuzzer's cannot be used). Linked by -sanitize=fuzzer; declared only.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
