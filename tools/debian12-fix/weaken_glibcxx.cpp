// Marks one symbol-version requirement of an ELF64 shared library as weak (VER_FLG_WEAK).
// glibc's loader then treats that version as optional instead of refusing to load the file.
// Used on libLibTorchSharp.so, which asks for GLIBCXX_3.4.32 (GCC 13) only for
// std::ios_base_library_init(); Debian 12's libstdc++ stops at 3.4.30. The symbol itself
// comes from glibcxx_shim.so. Usage: weaken_glibcxx FILE VERSION   (prints how many entries changed)
#include <elf.h>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 3) { std::fprintf(stderr, "usage: %s FILE VERSION\n", argv[0]); return 2; }
    std::ifstream in(argv[1], std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() < sizeof(Elf64_Ehdr) || std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0 ||
        bytes[EI_CLASS] != ELFCLASS64) {
        std::fprintf(stderr, "%s is not a 64-bit ELF file\n", argv[1]);
        return 1;
    }
    auto* header = reinterpret_cast<Elf64_Ehdr*>(bytes.data());
    auto* sections = reinterpret_cast<Elf64_Shdr*>(bytes.data() + header->e_shoff);
    int changed = 0;
    for (int i = 0; i < header->e_shnum; ++i) {
        if (sections[i].sh_type != SHT_GNU_verneed) continue;
        const char* names = bytes.data() + sections[sections[i].sh_link].sh_offset;
        char* need = bytes.data() + sections[i].sh_offset;
        for (;;) {
            auto* verneed = reinterpret_cast<Elf64_Verneed*>(need);
            char* aux = need + verneed->vn_aux;
            for (int k = 0; k < verneed->vn_cnt; ++k) {
                auto* vernaux = reinterpret_cast<Elf64_Vernaux*>(aux);
                if (std::strcmp(names + vernaux->vna_name, argv[2]) == 0 && !(vernaux->vna_flags & VER_FLG_WEAK)) {
                    vernaux->vna_flags |= VER_FLG_WEAK;
                    ++changed;
                }
                aux += vernaux->vna_next;
            }
            if (verneed->vn_next == 0) break;
            need += verneed->vn_next;
        }
    }
    if (changed > 0) {
        std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out) { std::fprintf(stderr, "could not write %s\n", argv[1]); return 1; }
    }
    std::printf("%d\n", changed);
    return 0;
}
