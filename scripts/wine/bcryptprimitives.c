/*
 * A stand-in for Windows' bcryptprimitives.dll, for running gover's Windows
 * tests under Wine. Go 1.26 programs get their random bytes from
 * ProcessPrng in bcryptprimitives.dll, which Wine 8 does not provide; without
 * it they cannot start. RtlGenRandom (advapi32 SystemFunction036) gives the
 * same guarantee on Wine, so ProcessPrng forwards to it.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    while (size > 0) {
        ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    (void)inst; (void)reason; (void)reserved;
    return TRUE;
}
