/* Build-time tool: turns a data file into a C array so that the default data
 * ship inside the binary and tpt needs no install paths to work.
 *
 *     embed SYMBOL INPUT OUTPUT.c
 *
 * writes `const unsigned char SYMBOL[]` (NUL-terminated, so the text can be
 * used as a string) and `const size_t SYMBOL_len` (without the NUL). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: embed SYMBOL INPUT OUTPUT.c\n");
        return 2;
    }
    FILE *in = fopen(argv[2], "rb");
    if (!in) {
        perror(argv[2]);
        return 1;
    }
    FILE *out = fopen(argv[3], "w");
    if (!out) {
        perror(argv[3]);
        return 1;
    }
    fprintf(out, "/* generated from %s by tools/embed.c; do not edit */\n", argv[2]);
    fprintf(out, "#include <stddef.h>\nconst unsigned char %s[] = {\n", argv[1]);
    size_t n = 0;
    int c;
    while ((c = fgetc(in)) != EOF) {
        fprintf(out, "%d,%s", c, (++n % 24) ? "" : "\n");
    }
    fprintf(out, "0};\nconst size_t %s_len = %zu;\n", argv[1], n);
    int failed = ferror(in) || ferror(out);
    fclose(in);
    if (fclose(out) != 0) failed = 1;
    return failed ? 1 : 0;
}
