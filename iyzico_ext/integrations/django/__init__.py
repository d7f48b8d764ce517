"""Django integration (extra `django`): add `"iyzico_ext.integrations.django"` to INSTALLED_APPS.

* `urls.iyzico_urls(endpoints)` - the three views, CSRF-exempt because each is authenticated by iyzico's
  signature instead (the 3-D Secure form's signature, the signed retrieve of the checkout token, the
  webhook header); every other view of your site keeps Django's CSRF protection;
* `signals` - `payment_completed`, `payment_refused`, `webhook_received`, sent by those views;
* `journal.DjangoJournal` - the payment journal (and webhook store) in your database (`migrate` creates
  its two tables).

Nothing is imported here, so listing the app does not load views before Django is set up.
"""
