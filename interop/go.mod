module github.com/sendgrid-sso/sendgrid-sso/interop

go 1.26.0

replace github.com/sendgrid-sso/sendgrid-sso => ../
