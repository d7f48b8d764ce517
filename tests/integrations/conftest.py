"""Django settings for the tests of this folder (see tests/django_setup.py)."""

from tests import django_setup

django_setup.configure()
