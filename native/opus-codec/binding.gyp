{
  # Builds libopus from the sources @discordjs/opus ships (deps/opus, with its per-platform
  # config.h under deps/config), via that package's own gyp target, and links it statically.
  "variables": {
    "discordjs_opus%": "<!(node -p \"require('path').relative('.', require('path').dirname(require.resolve('@discordjs/opus/package.json')))\")",
  },
  "targets": [
    {
      "target_name": "nimbus_opus",
      "sources": ["src/opus_codec.c"],
      "dependencies": ["<(discordjs_opus)/deps/binding.gyp:libopus"],
      "include_dirs": ["<(discordjs_opus)/deps/opus/include"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-Wall", "-Wextra", "-fvisibility=hidden"],
      "xcode_settings": { "GCC_SYMBOLS_PRIVATE_EXTERN": "YES" },
    },
  ],
}
