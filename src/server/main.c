/* tpt-serve: the program behind `tpt serve` (src/cli/main.c says why it
 * stands apart). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int main(int argc, char **argv)
{
    /* as `tpt serve ARGS`: argv[0] stands for the command */
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (cli_is_help(argv[i])) {
            fputs(cmd_serve_help, stdout);
            return 0;
        }
    }
    int code = cmd_serve(argc, argv);
    if (fflush(stdout) != 0) return code ? code : 1;
    return code;
}
