/// Placeholder so the target builds; replaced as the target fills in.
enum _BelaySandboxPlaceholder {}
