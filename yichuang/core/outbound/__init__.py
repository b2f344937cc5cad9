"""Outbound deliveries: one machinery for everything the hall sends to another system — the
provincial 好差评 platform (an outbox of rating records) and the webhooks other systems
subscribe to.

- models.py     OutboundMessage (one thing to deliver to one destination, unique by record key
                per destination) and WebhookSubscription
- outbox.py     `enqueue()`: write a message inside the caller's transaction, sent after commit
- delivery.py   claim a due message, send it through its destination kind's transport, record
                the outcome (retry per core/backoff, dead-letter when exhausted)
- dead_letters.py `resend()`: the hall office sends a dead message again
- transports.py one class per destination kind (the provincial one is a setting)
- webhooks.py   the subscriptions' service functions and `announce()`, which turns an event
                into one message per matching subscription
- tasks.py      deliver one message; sweep the due ones (the scheduler's periodic entry)
- views.py      the hall office's page: messages by status, resend, subscriptions
"""
