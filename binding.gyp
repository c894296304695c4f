{
  "targets": [
    {
      "target_name": "rip",
      "sources": ["native/rip.c", "native/threads.c", "native/route-scan.c", "native/procfd.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"],
      "cflags_c": ["-std=gnu11"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
