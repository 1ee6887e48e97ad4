"""sip-profile-contracts: contract-testing and compliance suite for SignalWire's SIP profile API."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
