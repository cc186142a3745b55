// Reading a whole file into memory in one go: the file-format parsers (LAMMPS data, setfl) then
// parse the text in place, which is what makes a potential of 10^5 numbers take milliseconds
// rather than the time of a stream-based reader.
#pragma once

#include <string>

namespace glassland {

// The bytes of `path`. `what` names the file in errors ("data file", "potential file"): an
// InputError "PATH: cannot open the WHAT: REASON" or "PATH: cannot read the WHAT".
std::string read_whole_file(const std::string& path, const std::string& what);

}  // namespace glassland
