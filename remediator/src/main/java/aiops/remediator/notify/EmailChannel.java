package aiops.remediator.notify;

import jakarta.mail.Authenticator;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/** E-mail over SMTP (Jakarta Mail, Angus implementation), plain text, with bounded timeouts. */
public final class EmailChannel implements Channel {

    /** SMTP server settings shared by every e-mail channel. */
    public record Smtp(String host, int port, boolean startTls, boolean ssl, String username, String password,
                       String from) {
    }

    private final Session session;
    private final Smtp smtp;
    private final List<String> to;

    public EmailChannel(final Smtp smtp, final List<String> to) {
        this.smtp = smtp;
        this.to = List.copyOf(to);
        final Properties props = new Properties();
        final String protocol = smtp.ssl() ? "smtps" : "smtp";
        props.put("mail.transport.protocol", protocol);
        props.put("mail." + protocol + ".host", smtp.host());
        props.put("mail." + protocol + ".port", Integer.toString(smtp.port()));
        props.put("mail." + protocol + ".connectiontimeout", "5000");
        props.put("mail." + protocol + ".timeout", "10000");
        props.put("mail." + protocol + ".writetimeout", "10000");
        props.put("mail." + protocol + ".starttls.enable", Boolean.toString(smtp.startTls()));
        props.put("mail." + protocol + ".starttls.required", Boolean.toString(smtp.startTls()));
        props.put("mail." + protocol + ".auth", Boolean.toString(smtp.username() != null));
        this.session = Session.getInstance(props, smtp.username() == null ? null : new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(smtp.username(), smtp.password());
            }
        });
    }

    @Override
    public String type() {
        return "email";
    }

    @Override
    public List<String> recipients() {
        return to;
    }

    @Override
    public void send(final Message message) throws DeliveryException {
        try {
            final MimeMessage mail = new MimeMessage(session);
            mail.setFrom(new InternetAddress(smtp.from()));
            for (final String address : to) {
                mail.addRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(address));
            }
            mail.setSubject("[" + message.severity().name().toLowerCase(Locale.ROOT) + "] " + message.title(), "UTF-8");
            mail.setText(message.body() + "\n\n-- \n" + message.kind()
                    + (message.incidentId() == null ? "" : " · " + message.incidentId()) + " · " + message.deliveryId(),
                    "UTF-8");
            mail.setHeader("X-Aiops-Notification-Id", message.deliveryId());
            mail.setSentDate(new Date());
            Transport.send(mail);
        } catch (final MessagingException e) {
            throw new DeliveryException("smtp " + smtp.host() + ":" + smtp.port() + ": " + e.getMessage());
        }
    }
}
