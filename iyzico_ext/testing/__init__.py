"""Testing helpers for users of the client: hypothesis strategies (`iyzico_ext.testing.strategies`).

This subpackage is the only part of `iyzico_ext` that imports hypothesis; install it with the
`testing` extra. The local emulator and its pytest fixture live in `iyzico_ext.sandbox`.
"""
