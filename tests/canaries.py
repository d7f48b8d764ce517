"""Fake secrets the whole suite uses, so the leak scan (tests/conftest.py) can look for them everywhere."""

from __future__ import annotations

CANARY_API_KEY = "sandbox-CANARY-3f9d2c71"  # sandbox keys start with "sandbox-" (the client checks)
CANARY_LIVE_API_KEY = "live-CANARY-5c0e7d12"
CANARY_SECRET = "sk-CANARY-a81e55b0"
CANARY_PAN = "5528790000000008"  # iyzico's sandbox test card: a real-looking PAN that must never be printed
CANARY_IDENTITY = "74300864791"
CANARIES = (CANARY_API_KEY, CANARY_LIVE_API_KEY, CANARY_SECRET, CANARY_PAN, CANARY_IDENTITY)
# Three digits appear everywhere in test output (durations, addresses), so the CVC canary is not in the
# suite-wide scan; the frame scans (tests/frame_leaks.py) look for it as a quoted value.
CANARY_CVC = "947"
