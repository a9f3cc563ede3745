#include <stdio.h>
int
main(void)
{
    puts("closeloop");
    return 0;
}
